using Sentiment.Model.Tokenization;

namespace Sentiment.Tests.Model;

public class WordPieceTokenizerTests
{
    // The line number is the id: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 ... "!"=16 ... "width"=29.
    private static readonly string[] Vocabulary =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
        "hello", "world", "##s", "un", "##believ", "##able", "cafe", "@", "user", "http", ",", "!", "it", "'", "s",
        "<", "3", "$", "100", "_", "snake", "case", "zero", "##width", "width",
    ];

    [Fact]
    public void Known_words_and_pieces_get_their_vocabulary_ids_between_cls_and_sep()
    {
        var tokenizer = Create(lowerCase: true);

        Assert.Equal([2, 5, 6, 7, 15, 8, 9, 10, 16, 3], tokenizer.Encode("Hello worlds, unbelievable!"));
    }

    [Fact]
    public void Lower_casing_strips_accents_as_bert_uncased_does()
    {
        var tokenizer = Create(lowerCase: true);

        Assert.Equal([2, 11, 17, 18, 19, 3], tokenizer.Encode("CAFÉ it's"));
    }

    [Fact]
    public void Without_lower_casing_capitalised_words_are_unknown()
    {
        var tokenizer = Create(lowerCase: false);

        Assert.Equal([2, 1, 6, 3], tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void Preprocessed_mentions_and_urls_split_on_punctuation()
    {
        var tokenizer = Create(lowerCase: true);

        Assert.Equal([2, 12, 13, 14, 3], tokenizer.Encode("@user http"));
    }

    [Theory]
    [InlineData("<3 $100", new long[] { 2, 20, 21, 22, 23, 3 })]
    [InlineData("snake_case", new long[] { 2, 25, 24, 26, 3 })]
    [InlineData("hello 😀 world", new long[] { 2, 5, 1, 6, 3 })]
    [InlineData("zero\u200bwidth", new long[] { 2, 27, 28, 3 })]
    public void Basic_tokenization_follows_hugging_face_symbols_split_emoji_unknown_format_characters_dropped(string text, long[] expected)
    {
        var tokenizer = Create(lowerCase: true);

        Assert.Equal(expected, tokenizer.Encode(System.Text.RegularExpressions.Regex.Unescape(text)));
    }

    [Fact]
    public void Truncation_keeps_cls_and_sep_and_drops_the_end_of_the_text()
    {
        var tokenizer = Create(lowerCase: true);
        var ids = new long[5];

        var written = tokenizer.Encode("hello world hello world hello", ids);

        Assert.Equal(5, written);
        Assert.Equal([2L, 5, 6, 5, 3], ids);
    }

    [Fact]
    public void Padding_id_is_the_pad_token()
    {
        Assert.Equal(0, Create(lowerCase: true).PaddingId);
    }

    private static WordPieceModelTokenizer Create(bool lowerCase)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Vocabulary) + "\n"));
        return WordPieceModelTokenizer.FromVocabulary(stream, lowerCase);
    }
}
