namespace Sentiment.Model.Tokenization;

/// <summary>
/// Turns normalised text into the model's input ids: the start token, the text's tokens (truncated so the whole
/// fits), the end token. Implementations wrap a Microsoft.ML.Tokenizers tokenizer and are thread-safe.
/// </summary>
public abstract class ModelTokenizer
{
    /// <summary>The id that pads a short sequence in a batch (its attention mask is 0).</summary>
    public abstract int PaddingId { get; }

    /// <summary>Ids added before the text's tokens (e.g. [CLS] or &lt;s&gt;); null when the model has none.</summary>
    public abstract int? StartId { get; }

    /// <summary>Ids added after the text's tokens (e.g. [SEP] or &lt;/s&gt;); null when the model has none.</summary>
    public abstract int? EndId { get; }

    /// <summary>
    /// Writes the ids for <paramref name="text"/> into <paramref name="destination"/>, truncating the text's tokens
    /// (not the special tokens) the way Hugging Face truncates a single sequence, and returns how many were written.
    /// </summary>
    public int Encode(string text, Span<long> destination)
    {
        if (destination.Length <= SpecialTokenCount)
        {
            throw new ArgumentException($"Room for {destination.Length} ids leaves none for the text.", nameof(destination));
        }

        // Microsoft.ML.Tokenizers 2.0 returns a fresh list per call and has no overload that writes into a caller's
        // buffer, so this list (and the tokenizer's internal per-word work) is the one allocation left per message.
        return Write(EncodeText(text), destination);
    }

    /// <summary>The ids for <paramref name="text"/> with the special tokens, untruncated (for tests and tools).</summary>
    public IReadOnlyList<long> Encode(string text)
    {
        var ids = EncodeText(text);
        var result = new long[ids.Count + SpecialTokenCount];
        Write(ids, result);
        return result;
    }

    private int SpecialTokenCount => (StartId.HasValue ? 1 : 0) + (EndId.HasValue ? 1 : 0);

    private int Write(IReadOnlyList<int> ids, Span<long> destination)
    {
        var count = Math.Min(ids.Count, destination.Length - SpecialTokenCount);
        var written = 0;
        if (StartId is { } start)
        {
            destination[written++] = start;
        }

        for (var i = 0; i < count; i++)
        {
            destination[written++] = ids[i];
        }

        if (EndId is { } end)
        {
            destination[written++] = end;
        }

        return written;
    }

    /// <summary>The text's own tokens, without special tokens.</summary>
    protected abstract IReadOnlyList<int> EncodeText(string text);
}
