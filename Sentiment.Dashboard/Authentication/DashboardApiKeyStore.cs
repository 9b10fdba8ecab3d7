using System.Collections.Frozen;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Security;
using Sentiment.ServiceDefaults.Authentication;

namespace Sentiment.Dashboard.Authentication;

/// <summary>The keys of <see cref="DashboardAuthenticationOptions.ApiKeys"/>, each with its role.</summary>
public sealed class DashboardApiKeyStore(IOptions<DashboardAuthenticationOptions> options) : IApiKeyStore
{
    private readonly Lazy<FrozenDictionary<string, DashboardApiKey>> _byHash = new(() =>
        options.Value.ApiKeys
            .DistinctBy(key => key.Sha256.ToLowerInvariant())
            .ToFrozenDictionary(key => key.Sha256.ToLowerInvariant(), StringComparer.Ordinal));

    public ValueTask<ApiKeyLookup> FindAsync(string presentedKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_byHash.Value.TryGetValue(ApiKeys.Hash(presentedKey), out var key)
            ? ApiKeyLookup.Found(key.Name, [new Claim(ClaimTypes.Role, key.Role)])
            : ApiKeyLookup.NotFound);
}
