using Microsoft.ML.Tokenizers;

namespace Sentiment.Model.Tokenization;

/// <summary>BERT WordPiece: [CLS] text [SEP], padded with [PAD]; Hugging Face's basic tokenization, then <see cref="BertTokenizer"/>'s WordPiece.</summary>
public sealed class WordPieceModelTokenizer : ModelTokenizer
{
    private readonly BertTokenizer _tokenizer;
    private readonly bool _lowerCase;
    private readonly bool _stripAccents;
    private readonly bool _splitCjk;

    private WordPieceModelTokenizer(BertTokenizer tokenizer, bool lowerCase, bool stripAccents, bool splitCjk)
    {
        _tokenizer = tokenizer;
        _lowerCase = lowerCase;
        _stripAccents = stripAccents;
        _splitCjk = splitCjk;
    }

    public override int PaddingId => _tokenizer.PaddingTokenId;

    public override int? StartId => _tokenizer.ClassificationTokenId;

    public override int? EndId => _tokenizer.SeparatorTokenId;

    public bool LowerCase => _lowerCase;

    /// <summary>Loads a <c>vocab.txt</c> (one token per line, the line number is the id).</summary>
    /// <param name="lowerCase">Hugging Face's <c>do_lower_case</c>.</param>
    /// <param name="stripAccents">Hugging Face's <c>strip_accents</c>; null follows <paramref name="lowerCase"/>, as BERT's basic tokenizer does.</param>
    /// <param name="splitCjk">Hugging Face's <c>tokenize_chinese_chars</c>.</param>
    public static WordPieceModelTokenizer FromVocabulary(Stream vocabulary, bool lowerCase, bool? stripAccents = null, bool splitCjk = true)
    {
        // Basic tokenization is done by BertBasicTokenization (Hugging Face's rules); BertTokenizer only splits
        // the prepared words at spaces and runs WordPiece on them.
        var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions
        {
            ApplyBasicTokenization = false,
            LowerCaseBeforeTokenization = false,
            RemoveNonSpacingMarks = false,
            IndividuallyTokenizeCjk = false,
            SplitOnSpecialTokens = false,
        });
        return new WordPieceModelTokenizer(tokenizer, lowerCase, stripAccents ?? lowerCase, splitCjk);
    }

    /// <inheritdoc cref="FromVocabulary(Stream, bool, bool?, bool)"/>
    public static WordPieceModelTokenizer FromVocabularyFile(string vocabularyPath, bool lowerCase, bool? stripAccents = null, bool splitCjk = true)
    {
        using var stream = File.OpenRead(vocabularyPath);
        return FromVocabulary(stream, lowerCase, stripAccents, splitCjk);
    }

    protected override IReadOnlyList<int> EncodeText(string text) =>
        _tokenizer.EncodeToIds(
            BertBasicTokenization.Apply(text, _lowerCase, _stripAccents, _splitCjk),
            addSpecialTokens: false,
            considerPreTokenization: true,
            considerNormalization: false);
}
