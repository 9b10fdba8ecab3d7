using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Sentiment.Storage;

/// <summary>
/// Whether the results database has every migration this build knows: read from EF Core's history table directly, so
/// a database without one (not migrated yet) is an answer, not an error logged at each look.
/// </summary>
public static class ResultsSchema
{
    private static readonly Lazy<IReadOnlyList<string>> KnownMigrations = new(() =>
    {
        using var context = new SentimentDbContext(new DbContextOptionsBuilder<SentimentDbContext>().UseNpgsql().Options);
        return context.Database.GetMigrations().ToList();
    });

    /// <summary>The migrations of this build that the database lacks, oldest first; empty when it is current.</summary>
    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var exists = dataSource.CreateCommand("""SELECT to_regclass('public."__EFMigrationsHistory"') IS NOT NULL""");
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return KnownMigrations.Value;
        }

        await using var history = dataSource.CreateCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" """);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await history.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetString(0));
        }

        return KnownMigrations.Value.Where(migration => !applied.Contains(migration)).ToList();
    }
}
