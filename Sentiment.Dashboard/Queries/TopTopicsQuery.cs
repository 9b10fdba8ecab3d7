using Npgsql;
using Sentiment.Storage;

namespace Sentiment.Dashboard.Queries;

public sealed record TopicCount(string Topic, long Count, double? AverageScore);

/// <summary>The topics with the most matching messages, most first.</summary>
public sealed class TopTopicsQuery(NpgsqlDataSource dataSource)
{
    public const int MaxTop = 100;

    public async Task<IReadOnlyList<TopicCount>> GetAsync(SentimentFilter filter, int top = 10, CancellationToken cancellationToken = default)
    {
        await using var command = CreateCommand(filter, top);
        var topics = new List<TopicCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            topics.Add(new TopicCount(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)));
        }

        return topics;
    }

    /// <summary>The statement <see cref="GetAsync"/> runs; public so a test can EXPLAIN it.</summary>
    public NpgsqlCommand CreateCommand(SentimentFilter filter, int top)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, MaxTop);
        var command = dataSource.CreateCommand();
        var where = FilterSql.Where(filter, command.Parameters);
        command.CommandText = $"""
            SELECT topic, count(*) AS n, avg(sentiment_score)
            FROM {SentimentDbContext.ResultsTable}
            WHERE topic IS NOT NULL AND {where}
            GROUP BY topic
            ORDER BY n DESC, topic
            LIMIT @top
            """;
        command.Parameters.Add(new NpgsqlParameter<int>("top", top));
        return command;
    }
}
