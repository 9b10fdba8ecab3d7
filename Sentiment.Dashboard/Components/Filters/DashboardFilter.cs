using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Components.Filters;

/// <summary>
/// What the filter bar has chosen: a time range up to now, optionally one source, and the bucket size of the
/// chart over time. It lives in the address (<c>?range=6h&amp;source=twitter&amp;bucket=hour</c>), so a view can be
/// bookmarked and shared, and the overview and the messages page keep the same range and source.
/// </summary>
public sealed record DashboardFilter(TimeRangeOption Range, string? Source, BucketSize Bucket)
{
    public const string RangeParameter = "range";
    public const string SourceParameter = "source";
    public const string BucketParameter = "bucket";

    public static DashboardFilter Default { get; } = Parse(null, null, null);

    /// <summary>The filter the address gives; unknown values fall back to defaults rather than failing the page.</summary>
    public static DashboardFilter Parse(string? range, string? source, string? bucket)
    {
        var option = TimeRangeOption.Find(range);
        var size = bucket switch
        {
            "minute" when option.AllowsMinutes => BucketSize.Minute,
            "hour" => BucketSize.Hour,
            _ => option.Length <= TimeSpan.FromHours(6) ? BucketSize.Minute : BucketSize.Hour,
        };
        return new DashboardFilter(option, string.IsNullOrWhiteSpace(source) ? null : source, size);
    }

    public string BucketKey => Bucket == BucketSize.Minute ? "minute" : "hour";

    /// <summary>The query filter for this moment: the range ends now and moves on with each re-query.</summary>
    public SentimentFilter ToSentimentFilter(TimeProvider time) =>
        Range.Length is { } length ? SentimentFilter.Last(length, time, Source) : new SentimentFilter(Source: Source);

    /// <summary>The address parameters, with defaults left out so the plain address stays plain.</summary>
    public IReadOnlyDictionary<string, object?> ToQuery() => new Dictionary<string, object?>
    {
        [RangeParameter] = Range == TimeRangeOption.Default ? null : Range.Key,
        [SourceParameter] = Source,
        [BucketParameter] = Bucket == Parse(Range.Key, null, null).Bucket ? null : BucketKey,
    };
}
