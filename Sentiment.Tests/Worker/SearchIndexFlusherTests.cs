using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Sentiment.Storage;
using Sentiment.Tests.Infrastructure;
using Sentiment.Worker;
using Sentiment.Worker.Storage;

namespace Sentiment.Tests.Worker;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SearchIndexFlusherTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Insert_leaves_its_trigrams_pending_until_the_flusher_merges_them_and_search_finds_the_row_either_way()
    {
        await using var dataSource = NpgsqlDataSource.Create(await infrastructure.CreateMigratedDatabaseAsync());
        var flusher = new SearchIndexFlusher(dataSource, Options.Create(new WorkerOptions()), TimeProvider.System, NullLogger<SearchIndexFlusher>.Instance);
        var rows = new ResultRows(64);
        for (var i = 0; i < rows.Count; i++)
        {
            rows.MessageIds[i] = $"f-{i}";
            rows.Timestamps[i] = new DateTime(2026, 1, 15, 10, 0, 0);
            rows.Sources[i] = "web";
            rows.Texts[i] = $"Parcel number {i} arrived crushed";
            rows.Labels[i] = "negative";
            rows.StreamIds[i] = $"1-{i}";
            rows.IngestedAt[i] = DateTimeOffset.UtcNow;
            rows.Topics[i] = "Shipping";
            rows.Keywords[i] = "parcel";
        }

        await using (var insert = rows.CreateInsert(dataSource, "test", DateTimeOffset.UtcNow))
        {
            Assert.Equal(64, await insert.ExecuteNonQueryAsync());
        }

        var foundWhilePending = await CountMatchesAsync(dataSource, "number 42 arrived");
        var merged = await flusher.FlushAsync(CancellationToken.None);
        var mergedAgain = await flusher.FlushAsync(CancellationToken.None);

        // The INSERT only appended its rows' trigrams to the pending list (the search read them there); the flusher
        // moved them into the index, leaving nothing for a second merge.
        Assert.True(merged > 0, "the INSERT left no pending pages to merge");
        Assert.Equal(0, mergedAgain);
        Assert.Equal((1L, 1L), (foundWhilePending, await CountMatchesAsync(dataSource, "number 42 arrived")));
    }

    private static async Task<long> CountMatchesAsync(NpgsqlDataSource dataSource, string text)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {SentimentDbContext.ResultsTable} WHERE original_text ILIKE '%' || $1 || '%'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
