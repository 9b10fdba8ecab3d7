using System.Globalization;

namespace Sentiment.Cli.Load;

/// <summary>
/// Accepted against stored, exactly: each accepted id looked up among the stored rows of the run's source.
/// </summary>
/// <param name="Accepted">Distinct ids ingest answered 202 for.</param>
/// <param name="Stored">Rows stored under the run's source (one per id unless something stored twice).</param>
/// <param name="Lost">Accepted ids with no stored row.</param>
/// <param name="Duplicated">Rows beyond the first for an id.</param>
/// <param name="Unexpected">Stored ids that ingest never accepted (a request given up on that was published after all).</param>
/// <param name="Refused">503 answers (Redis unreachable or full, or the backlog above its bound).</param>
/// <param name="RateLimited">429 answers.</param>
/// <param name="Failed">Requests that got no answer (connection refused or reset, timed out) or an unexpected 5xx.</param>
/// <param name="LongestOutage">Longest time from a request that failed to the next accepted one.</param>
/// <param name="Sending">From the first request to the last 202.</param>
/// <param name="Drain">From the last 202 until every accepted message was stored (or the wait gave up).</param>
public sealed record DeliveryReport(
    int Accepted,
    int Stored,
    int Lost,
    int Duplicated,
    int Unexpected,
    int Refused,
    int RateLimited,
    int Failed,
    TimeSpan LongestOutage,
    TimeSpan Sending,
    TimeSpan Drain)
{
    /// <summary>Every message was accepted and stored exactly once.</summary>
    public bool IsExact => Lost == 0 && Duplicated == 0 && Unexpected == 0 && Stored == Accepted;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"accepted={Accepted} stored={Stored} lost={Lost} duplicated={Duplicated} unexpected={Unexpected} " +
        $"refused_503={Refused} rate_limited_429={RateLimited} failed={Failed} longest_outage_s={LongestOutage.TotalSeconds:0.0} " +
        $"send_s={Sending.TotalSeconds:0.0} drain_s={Drain.TotalSeconds:0.0}");
}
