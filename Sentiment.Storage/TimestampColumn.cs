using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Sentiment.Storage;

/// <summary>
/// The feedback time, <c>sentiment_analysis.timestamp</c>, is TIMESTAMP (no zone) holding UTC
/// (<see cref="SentimentResult.Timestamp"/>): instants go to it as their UTC wall-clock time, which Npgsql sends as
/// <c>timestamp</c> only for DateTimes of Kind Unspecified, and come back from it as UTC.
/// </summary>
public static class TimestampColumn
{
    /// <param name="name">The parameter's name; empty for a positional one (<c>$1</c>).</param>
    public static NpgsqlParameter<DateTime> Parameter(DateTimeOffset instant, string name = "") => new(name, NpgsqlDbType.Timestamp)
    {
        TypedValue = DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified),
    };

    /// <summary>Reads the column back as the UTC instant it holds.</summary>
    public static DateTimeOffset Read(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
}
