namespace Sentiment.AppHost.Infrastructure;

public sealed record RedisServerOptions
{
    /// <summary>Where the append-only files go; created when missing.</summary>
    public required string DataDirectory { get; init; }

    public required int Port { get; init; }

    public required string Password { get; init; }
}
