using Microsoft.ML.Tokenizers;

namespace Sentiment.Core.Model.Tokenization;

/// <summary>BERT WordPiece: [CLS] text [SEP], padded with [PAD], through <see cref="BertTokenizer"/>.</summary>
public sealed class WordPieceModelTokenizer : ModelTokenizer
{
    private readonly BertTokenizer _tokenizer;

    private WordPieceModelTokenizer(BertTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
    }

    public override int PaddingId => _tokenizer.PaddingTokenId;

    public override int? StartId => _tokenizer.ClassificationTokenId;

    public override int? EndId => _tokenizer.SeparatorTokenId;

    public bool LowerCase => _tokenizer.LowerCaseBeforeTokenization;

    /// <summary>Loads a <c>vocab.txt</c> (one token per line, the line number is the id).</summary>
    /// <param name="lowerCase">Hugging Face's <c>do_lower_case</c>.</param>
    /// <param name="stripAccents">Hugging Face's <c>strip_accents</c>; null follows <paramref name="lowerCase"/>, as BERT's basic tokenizer does.</param>
    public static WordPieceModelTokenizer FromVocabulary(Stream vocabulary, bool lowerCase, bool? stripAccents = null) =>
        new(BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            RemoveNonSpacingMarks = stripAccents ?? lowerCase,
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
            SplitOnSpecialTokens = true,
        }));

    /// <inheritdoc cref="FromVocabulary(Stream, bool, bool?)"/>
    public static WordPieceModelTokenizer FromVocabularyFile(string vocabularyPath, bool lowerCase, bool? stripAccents = null)
    {
        using var stream = File.OpenRead(vocabularyPath);
        return FromVocabulary(stream, lowerCase, stripAccents);
    }

    protected override IReadOnlyList<int> EncodeText(string text) =>
        _tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
}
