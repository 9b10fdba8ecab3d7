using System.Text;
using Npgsql;
using NpgsqlTypes;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

/// <summary>
/// A <see cref="SentimentFilter"/> as a SQL condition on <c>sentiment_analysis</c> with its parameters, so every
/// query applies a filter the same way and the indexes can serve each part: <c>idx_timestamp_id</c> the time range,
/// <c>idx_source</c>, <c>idx_sentiment</c> and <c>idx_topic</c> the equalities, <c>idx_original_text_trgm</c> the text.
/// </summary>
internal static class FilterSql
{
    /// <returns>A condition ("TRUE" for no filter) and the parameters it names (@from, @to, @source, ...).</returns>
    public static string Where(SentimentFilter filter, NpgsqlParameterCollection parameters)
    {
        filter.EnsureValid();
        var conditions = new List<string>();
        if (filter.From is { } from)
        {
            conditions.Add("\"timestamp\" >= @from");
            parameters.Add(TimestampColumn.Parameter(from, "from"));
        }

        if (filter.To is { } to)
        {
            conditions.Add("\"timestamp\" < @to");
            parameters.Add(TimestampColumn.Parameter(to, "to"));
        }

        if (filter.Source is { } source)
        {
            conditions.Add("source = @source");
            parameters.Add(Text("source", source));
        }

        if (filter.Label is { } label)
        {
            conditions.Add("sentiment_label = @label");
            parameters.Add(Text("label", label));
        }

        if (filter.Topic is { } topic)
        {
            conditions.Add("topic = @topic");
            parameters.Add(Text("topic", topic));
        }

        if (filter.Text is { } text)
        {
            conditions.Add("original_text ILIKE @q");
            parameters.Add(Text("q", "%" + EscapeLike(text.Trim()) + "%"));
        }

        return conditions.Count == 0 ? "TRUE" : string.Join(" AND ", conditions);
    }

    public static NpgsqlParameter<string> Text(string name, string value) => new(name, NpgsqlDbType.Text) { TypedValue = value };

    public static NpgsqlParameter<DateTimeOffset> Instant(string name, DateTimeOffset value) => new(name, NpgsqlDbType.TimestampTz)
    {
        TypedValue = value.ToUniversalTime(),
    };

    /// <summary>Makes %, _ and \ match themselves in ILIKE (whose default escape character is \).</summary>
    private static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
