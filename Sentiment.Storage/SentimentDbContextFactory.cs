using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sentiment.Storage;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model from this project alone. It never connects:
/// the connection string below is only a placeholder for the provider.
/// </summary>
public sealed class SentimentDbContextFactory : IDesignTimeDbContextFactory<SentimentDbContext>
{
    public SentimentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SentimentDbContext>()
            .UseNpgsql("Host=localhost;Database=sentimentdb")
            .Options);
}
