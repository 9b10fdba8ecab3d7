using System.Globalization;

namespace Sentiment.Contracts.Messaging;

/// <summary>A Redis stream entry id, <c>milliseconds-sequence</c>, ordered as Redis orders them.</summary>
public readonly record struct StreamEntryId(long Milliseconds, long Sequence) : IComparable<StreamEntryId>
{
    public static StreamEntryId Zero { get; } = new(0, 0);

    /// <summary>Parses <c>1718000000000-3</c>, or a bare <c>1718000000000</c> (sequence 0).</summary>
    public static StreamEntryId Parse(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? new(long.Parse(id, CultureInfo.InvariantCulture), 0)
            : new(long.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), long.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }

    public static StreamEntryId Min(StreamEntryId a, StreamEntryId b) => a.CompareTo(b) <= 0 ? a : b;

    public static bool operator <(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) < 0;

    public static bool operator >(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) > 0;

    public static bool operator <=(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StreamEntryId left, StreamEntryId right) => left.CompareTo(right) >= 0;

    public int CompareTo(StreamEntryId other) => (Milliseconds, Sequence).CompareTo((other.Milliseconds, other.Sequence));

    /// <summary>The smallest id after this one.</summary>
    public StreamEntryId Next() => Sequence == long.MaxValue ? new(Milliseconds + 1, 0) : new(Milliseconds, Sequence + 1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
