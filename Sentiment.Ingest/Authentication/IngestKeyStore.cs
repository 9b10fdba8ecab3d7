using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Security;
using Sentiment.ServiceDefaults.Authentication;
using StackExchange.Redis;

namespace Sentiment.Ingest.Authentication;

/// <summary>
/// The ingest keys: those in configuration, then those in Redis (<see cref="IngestKey.StoreKey"/>), which are read
/// whole every <see cref="IngestAuthenticationOptions.StoreRefreshInterval"/> rather than once per request. The keys
/// are few, so one HGETALL now and then costs less than a round trip on every post.
/// </summary>
public sealed partial class IngestKeyStore(
    IConnectionMultiplexer redis,
    IOptions<IngestAuthenticationOptions> options,
    TimeProvider time,
    ILogger<IngestKeyStore> logger) : IApiKeyStore
{
    /// <summary>The claim naming a source a key may post to; <see cref="IngestKey.AllSources"/> for any.</summary>
    public const string SourceClaim = "sentiment:source";

    // An unknown key makes the store look again, but not more often than this, so random keys cannot flood Redis.
    private static readonly TimeSpan MissRefreshInterval = TimeSpan.FromSeconds(1);

    private readonly Lazy<FrozenDictionary<string, IngestKey>> _configured = new(() => ReadConfigured(options.Value));
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private FrozenDictionary<string, IngestKey>? _stored;
    private DateTimeOffset _storedAt = DateTimeOffset.MinValue;

    public async ValueTask<ApiKeyLookup> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var hash = ApiKeys.Hash(presentedKey);
        if (_configured.Value.TryGetValue(hash, out var configured))
        {
            return Found(configured);
        }

        var stored = await StoredKeysAsync(maxAge: options.Value.StoreRefreshInterval, cancellationToken);
        if (stored is not null && stored.TryGetValue(hash, out var key))
        {
            return Found(key);
        }

        stored = await StoredKeysAsync(maxAge: MissRefreshInterval, cancellationToken);
        if (stored is null)
        {
            return ApiKeyLookup.Unavailable;
        }

        return stored.TryGetValue(hash, out key) ? Found(key) : ApiKeyLookup.NotFound;
    }

    private static ApiKeyLookup Found(IngestKey key) =>
        ApiKeyLookup.Found(key.Name, [.. key.Sources.Select(source => new Claim(SourceClaim, source))]);

    /// <summary>The keys in Redis, read again if older than <paramref name="maxAge"/>; null if never read.</summary>
    private async Task<FrozenDictionary<string, IngestKey>?> StoredKeysAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _storedAt < maxAge)
        {
            return _stored;
        }

        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refreshed them while this one waited.
            if (time.GetUtcNow() - _storedAt < maxAge)
            {
                return _stored;
            }

            var entries = await redis.GetDatabase().HashGetAllAsync(IngestKey.StoreKey);
            _stored = entries
                .Select(entry => (Hash: entry.Name.ToString(), Key: IngestKey.FromJson(entry.Value.ToString())))
                .Where(entry => entry.Key is not null && ApiKeys.IsHash(entry.Hash))
                .ToFrozenDictionary(entry => entry.Hash, entry => entry.Key!, StringComparer.Ordinal);
            _storedAt = time.GetUtcNow();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Keep what was read last: a revoked key may work a little longer, a good one does not start failing.
            LogStoreUnavailable(logger, IngestKey.StoreKey, exception.Message);
        }
        finally
        {
            _refreshing.Release();
        }

        return _stored;
    }

    private static FrozenDictionary<string, IngestKey> ReadConfigured(IngestAuthenticationOptions options) =>
        options.Keys.ToFrozenDictionary(
            key => key.Sha256.ToLowerInvariant(),
            key => new IngestKey("config:" + key.Name, key.Name, key.Sources, DateTimeOffset.MinValue),
            StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the ingest keys from {Key}: {Error}")]
    private static partial void LogStoreUnavailable(ILogger logger, string key, string error);
}
