using System.Globalization;
using Sentiment.Contracts.Alerts;
using Sentiment.Worker.Alerts;

namespace Sentiment.Tests.Support;

/// <summary>
/// Alerts shaped as the worker raises them: the id derived from type, rule key and message, and the link pointing at
/// the message on the dashboard. A test passes what it asserts on; everything else has a default.
/// </summary>
public static class TestAlerts
{
    private const string DashboardBaseUrl = "http://127.0.0.1:5081";

    /// <summary>A very-negative-message alert for one message, with the worker's reason for <paramref name="score"/>.</summary>
    public static Alert VeryNegative(
        string messageId,
        DateTimeOffset createdAt,
        string source = "twitter",
        string severity = AlertSeverities.Warning,
        double score = -0.95,
        string snippet = "Worst service ever",
        string status = AlertStatuses.Active) =>
        Create(
            AlertTypes.VeryNegative, severity, ruleKey: source, messageId, score, snippet, source,
            string.Create(CultureInfo.InvariantCulture, $"Score {score:F3} is below -0.500."), createdAt, status);

    /// <summary>
    /// The negative-spike alert the notification tests send. The channel payload tests assert its every field, so
    /// only the triggering message varies.
    /// </summary>
    public static Alert NegativeSpike(string triggerId = "n-100") =>
        Create(
            AlertTypes.NegativeSpike,
            AlertSeverities.Critical,
            ruleKey: "all",
            triggerId,
            score: -0.8124,
            snippet: "Parcel sat in Memphis for six days & nobody <answers>.",
            source: "twitter",
            reason: "101 negative messages in the last 60 minutes (threshold: more than 100).",
            createdAt: new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero),
            AlertStatuses.Active);

    private static Alert Create(
        string type, string severity, string ruleKey, string messageId, double score, string snippet, string source, string reason,
        DateTimeOffset createdAt, string status) => new()
    {
        Id = AlertEvaluator.AlertId(type, ruleKey, messageId),
        Type = type,
        Severity = severity,
        RuleKey = ruleKey,
        MessageIds = [messageId],
        Score = score,
        Snippet = snippet,
        Source = source,
        Link = $"{DashboardBaseUrl}/messages/{Uri.EscapeDataString(messageId)}",
        Reason = reason,
        CreatedAt = createdAt,
        Status = status,
    };
}
