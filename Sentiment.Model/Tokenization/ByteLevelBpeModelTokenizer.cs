using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Sentiment.Model.Classification;

namespace Sentiment.Model.Tokenization;

/// <summary>
/// GPT-2/RoBERTa byte-level BPE from <c>vocab.json</c> + <c>merges.txt</c>: &lt;s&gt; text &lt;/s&gt;, padded with &lt;pad&gt;.
/// </summary>
/// <remarks>
/// Built on <see cref="BpeTokenizer"/> with byte-level mapping and GPT-2's pre-tokenisation regex.
/// <see cref="CodeGenTokenizer"/> looks closer but adds CodeGen's extra whitespace tokens (ids above 50,256)
/// for runs of spaces, which GPT-2 and RoBERTa vocabularies do not have.
/// </remarks>
public sealed partial class ByteLevelBpeModelTokenizer : ModelTokenizer
{
    private readonly BpeTokenizer _tokenizer;
    private readonly bool _addPrefixSpace;

    private ByteLevelBpeModelTokenizer(BpeTokenizer tokenizer, bool addPrefixSpace, int? startId, int? endId, int paddingId)
    {
        _tokenizer = tokenizer;
        _addPrefixSpace = addPrefixSpace;
        StartId = startId;
        EndId = endId;
        PaddingId = paddingId;
    }

    public override int PaddingId { get; }

    public override int? StartId { get; }

    public override int? EndId { get; }

    /// <summary>Loads the vocabulary and merges; the special tokens are looked up in the vocabulary by name.</summary>
    /// <param name="startToken">e.g. <c>&lt;s&gt;</c>; null for none.</param>
    /// <param name="endToken">e.g. <c>&lt;/s&gt;</c>; null for none.</param>
    /// <param name="paddingToken">e.g. <c>&lt;pad&gt;</c>; null pads with the end token.</param>
    /// <param name="addPrefixSpace">Hugging Face's <c>add_prefix_space</c> (RoBERTa's default is false).</param>
    public static ByteLevelBpeModelTokenizer FromFiles(
        string vocabularyPath,
        string mergesPath,
        string? startToken,
        string? endToken,
        string? paddingToken,
        bool addPrefixSpace = false)
    {
        var tokenizer = BpeTokenizer.Create(new BpeOptions(vocabularyPath, mergesPath)
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(Gpt2PreTokenization(), specialTokens: null),
        });

        var startId = LookUp(tokenizer, startToken, vocabularyPath);
        var endId = LookUp(tokenizer, endToken, vocabularyPath);
        var paddingId = LookUp(tokenizer, paddingToken, vocabularyPath) ?? endId
            ?? throw new ModelLoadException(vocabularyPath, "the vocabulary has no padding token and no end token to pad with.");
        return new ByteLevelBpeModelTokenizer(tokenizer, addPrefixSpace, startId, endId, paddingId);
    }

    // With add_prefix_space the text is copied once to prepend the space (RoBERTa exports leave it off).
    protected override IReadOnlyList<int> EncodeText(string text) =>
        _tokenizer.EncodeToIds(_addPrefixSpace && text.Length > 0 && text[0] != ' ' ? " " + text : text);

    private static int? LookUp(BpeTokenizer tokenizer, string? token, string vocabularyPath)
    {
        if (token is null)
        {
            return null;
        }

        return tokenizer.Vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new ModelLoadException(vocabularyPath, $"the special token '{token}' is not in the vocabulary.");
    }

    // GPT-2's pre-tokenisation (also RoBERTa's): contractions, letters, digits, other symbols, each with one
    // leading space, and whitespace runs that keep their last space for the following word.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex Gpt2PreTokenization();
}
