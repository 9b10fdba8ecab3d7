using System.Security.Claims;

namespace Sentiment.ServiceDefaults.Authentication;

/// <summary>Where a service looks up the API keys it accepts (ingest: its keys; the dashboard: its read keys).</summary>
public interface IApiKeyStore
{
    /// <summary>Finds the key a caller presented, as sent.</summary>
    ValueTask<ApiKeyLookup> FindAsync(string presentedKey, CancellationToken cancellationToken);
}

public enum ApiKeyLookupStatus
{
    Found,
    NotFound,

    /// <summary>The store cannot be read (e.g. Redis is down), so the key can be neither accepted nor refused.</summary>
    Unavailable,
}

/// <summary>What a lookup found: the key's name and the claims it carries (roles, allowed sources).</summary>
public sealed record ApiKeyLookup(ApiKeyLookupStatus Status, string? Name = null, IReadOnlyList<Claim>? Claims = null)
{
    public static readonly ApiKeyLookup NotFound = new(ApiKeyLookupStatus.NotFound);

    public static readonly ApiKeyLookup Unavailable = new(ApiKeyLookupStatus.Unavailable);

    public static ApiKeyLookup Found(string name, IReadOnlyList<Claim> claims) => new(ApiKeyLookupStatus.Found, name, claims);
}
