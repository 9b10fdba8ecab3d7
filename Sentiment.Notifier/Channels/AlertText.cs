using System.Globalization;
using Sentiment.Contracts.Alerts;

namespace Sentiment.Notifier.Channels;

/// <summary>The words every channel uses for an alert, so Slack, email and SMS say the same thing.</summary>
public static class AlertText
{
    public static string Title(Alert alert) => alert.Type switch
    {
        AlertTypes.VeryNegative => "Very negative message",
        AlertTypes.NegativeSpike => "Negative volume spike",
        AlertTypes.RepeatedNegatives => "Repeated negatives",
        _ => alert.Type,
    };

    /// <summary>"[critical] Negative volume spike"</summary>
    public static string Headline(Alert alert) => $"[{alert.Severity}] {Title(alert)}";

    public static string Score(Alert alert) => alert.Score.ToString("F3", CultureInfo.InvariantCulture);
}
