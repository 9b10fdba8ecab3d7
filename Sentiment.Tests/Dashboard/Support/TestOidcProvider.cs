using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sentiment.Tests.Dashboard.Support;

/// <summary>
/// An OpenID Connect provider on 127.0.0.1 that speaks the authorization code flow as a real one does: discovery, a
/// JWKS, <c>/authorize</c> answering with a form post (the user it signs in is <see cref="NextUser"/>), and
/// <c>/token</c>, which checks the client's secret, the redirect URI and the PKCE verifier before it issues an RS256
/// ID token. It keeps each token request so a test can check what the client sent.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "sentiment-dashboard";
    public const string ClientSecret = "test-client-secret";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _signingKey = new(RSA.Create(2048)) { KeyId = "test-key" };
    private readonly ConcurrentDictionary<string, Grant> _grants = new();

    private TestOidcProvider(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The issuer, without a trailing slash.</summary>
    public string Authority { get; private set; } = "";

    /// <summary>Who signs in at the next <c>/authorize</c>: a name and the values of the <c>roles</c> claim.</summary>
    public (string Name, string[] Roles) NextUser { get; set; } = ("Sam Operator", ["sentiment-operator"]);

    /// <summary>The form fields of each token request, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    public static async Task<TestOidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new TestOidcProvider(app);
        app.MapGet("/.well-known/openid-configuration", provider.Discovery);
        app.MapGet("/jwks", provider.Keys);
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.TokenAsync);
        await app.StartAsync();
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return provider;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Discovery() => Results.Json(new
    {
        issuer = Authority,
        authorization_endpoint = Authority + "/authorize",
        token_endpoint = Authority + "/token",
        jwks_uri = Authority + "/jwks",
        response_types_supported = (string[])["code"],
        response_modes_supported = (string[])["form_post", "query"],
        subject_types_supported = (string[])["public"],
        id_token_signing_alg_values_supported = (string[])["RS256"],
        code_challenge_methods_supported = (string[])["S256"],
        token_endpoint_auth_methods_supported = (string[])["client_secret_post", "client_secret_basic"],
    });

    private IResult Keys()
    {
        var key = JsonWebKeyConverter.ConvertFromRSASecurityKey(_signingKey);
        return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = key.Kid, n = key.N, e = key.E } } });
    }

    private IResult Authorize(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != ClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256")
        {
            return Results.BadRequest("unsupported request");
        }

        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _grants[code] = new Grant(query["redirect_uri"]!, query["nonce"]!, query["code_challenge"]!, NextUser.Name, NextUser.Roles);

        // response_mode=form_post: the browser posts code and state back to the client.
        var page = new StringBuilder($"<html><body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{WebUtility.HtmlEncode(query["redirect_uri"])}\">");
        page.Append($"<input type=\"hidden\" name=\"code\" value=\"{code}\" />");
        page.Append($"<input type=\"hidden\" name=\"state\" value=\"{WebUtility.HtmlEncode(query["state"])}\" />");
        page.Append("</form></body></html>");
        return Results.Content(page.ToString(), "text/html");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = (await request.ReadFormAsync()).ToDictionary(field => field.Key, field => field.Value.ToString());
        TokenRequests.Enqueue(form);
        var secret = form.GetValueOrDefault("client_secret");
        if (secret is null && request.Headers.Authorization.ToString() is { Length: > 6 } basic && basic.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic[6..])).Split(':', 2);
            secret = pair[0] == ClientId ? Uri.UnescapeDataString(pair[1]) : null;
        }

        if (form.GetValueOrDefault("grant_type") != "authorization_code" || secret != ClientSecret
            || !_grants.TryRemove(form.GetValueOrDefault("code") ?? "", out var grant)
            || form.GetValueOrDefault("redirect_uri") != grant.RedirectUri
            || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form.GetValueOrDefault("code_verifier") ?? ""))) != grant.CodeChallenge)
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        var now = DateTime.UtcNow;
        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = grant.Name.ToLowerInvariant().Replace(' ', '.'),
                ["name"] = grant.Name,
                ["nonce"] = grant.Nonce,
                ["roles"] = grant.Roles,
            },
        });
        return Results.Json(new { access_token = Guid.NewGuid().ToString("N"), token_type = "Bearer", expires_in = 300, id_token = idToken });
    }

    private sealed record Grant(string RedirectUri, string Nonce, string CodeChallenge, string Name, string[] Roles);
}
