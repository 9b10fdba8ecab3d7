using System.Data.Common;
using Sentiment.Contracts.Alerts;

namespace Sentiment.Storage;

/// <summary>How every reader of the <c>alerts</c> table selects an <see cref="Alert"/> and reads it back.</summary>
public static class AlertRow
{
    /// <summary>The columns <see cref="Read"/> expects, in its order.</summary>
    public const string Columns =
        "id, type, severity, rule_key, message_ids, score, snippet, source, link, reason, created_at, status, acknowledged_at";

    /// <summary>Reads a row selected (or returned) with <see cref="Columns"/>.</summary>
    public static Alert Read(DbDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        Type = reader.GetString(1),
        Severity = reader.GetString(2),
        RuleKey = reader.GetString(3),
        MessageIds = reader.GetFieldValue<string[]>(4),
        Score = reader.GetDouble(5),
        Snippet = reader.GetString(6),
        Source = reader.GetString(7),
        Link = reader.GetString(8),
        Reason = reader.GetString(9),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(10),
        Status = reader.GetString(11),
        AcknowledgedAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
    };
}
