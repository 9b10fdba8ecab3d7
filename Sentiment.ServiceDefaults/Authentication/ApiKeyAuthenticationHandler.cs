using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sentiment.ServiceDefaults.Authentication;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The Retry-After sent with the 503 while the key store cannot be read.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Also read the key from the <c>access_token</c> query parameter on these paths: browsers' WebSocket and
    /// server-sent-event clients cannot set headers, so SignalR's JavaScript client sends it there.
    /// </summary>
    public IReadOnlyList<PathString> QueryTokenPaths { get; set; } = [];
}

/// <summary>
/// Authenticates a caller by an API key in <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>,
/// looked up in the service's <see cref="IApiKeyStore"/>. A missing or unknown key is answered with a 401
/// ProblemDetails, a key without the right with 403, and a store that cannot be read with 503 and Retry-After, so a
/// client retries rather than gives up on a key that may well be good.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IApiKeyStore store)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string StoreUnavailableItem = "Sentiment.ApiKeyStoreUnavailable";

    /// <summary>Whether the request carries a key in either header (not whether it is any good).</summary>
    public static bool HasKey(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderName)
        || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey();
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var lookup = await store.FindAsync(key, Context.RequestAborted);
        switch (lookup.Status)
        {
            case ApiKeyLookupStatus.Found:
                var identity = new ClaimsIdentity(Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
                identity.AddClaim(new Claim(ClaimTypes.Name, lookup.Name!));
                identity.AddClaims(lookup.Claims ?? []);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
            case ApiKeyLookupStatus.Unavailable:
                Context.Items[StoreUnavailableItem] = true;
                return AuthenticateResult.Fail("The API key store is unavailable.");
            default:
                return AuthenticateResult.Fail("Unknown API key.");
        }
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(StoreUnavailableItem))
        {
            Response.Headers.RetryAfter = Options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Context.WriteProblemAsync(
                StatusCodes.Status503ServiceUnavailable,
                "API keys unavailable",
                $"The API key could not be checked because the key store is unreachable. Retry after {Options.RetryAfterSeconds} s.");
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        return Context.WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            "Authentication required",
            $"Send a valid API key as 'Authorization: Bearer <key>' or '{HeaderName}: <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Context.WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This API key does not allow this request.");

    private string? ReadKey()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return NonEmpty(authorization["Bearer ".Length..]);
        }

        if (Request.Headers.TryGetValue(HeaderName, out var header))
        {
            return NonEmpty(header.ToString());
        }

        return Options.QueryTokenPaths.Any(path => Request.Path.StartsWithSegments(path))
            ? NonEmpty(Request.Query["access_token"].ToString())
            : null;
    }

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
