using System.Net;
using System.Text.RegularExpressions;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Dashboard;

/// <summary>Single sign-on against <see cref="TestOidcProvider"/>, a local provider that speaks the code flow.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class DashboardSingleSignOnTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private RedisTestDatabase _redis = null!;
    private TestOidcProvider _provider = null!;
    private DashboardApplication _dashboard = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var database = await DashboardDatabase.CreateAsync(infrastructure);
        _provider = await TestOidcProvider.StartAsync();
        _dashboard = new DashboardApplication(_redis.ConnectionString, database.ConnectionString, new Dictionary<string, string>
        {
            ["Dashboard:Authentication:Oidc:Authority"] = _provider.Authority,
            ["Dashboard:Authentication:Oidc:ClientId"] = TestOidcProvider.ClientId,
            ["Dashboard:Authentication:Oidc:ClientSecret"] = TestOidcProvider.ClientSecret,
            ["Dashboard:Authentication:Oidc:RequireHttpsMetadata"] = "false",
        }).Start();
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _provider.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_page_sends_the_user_to_the_provider_and_its_operator_role_comes_back_as_the_dashboards()
    {
        var browser = new CookieBrowser();

        var location = await browser.SignInThroughAsync(_dashboard.BaseAddress, "/messages");

        Assert.Equal("/messages", location);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri(_dashboard.BaseAddress, "/api/metrics"))).StatusCode);
        var page = await (await browser.GetAsync(new Uri(_dashboard.BaseAddress, "/"))).Content.ReadAsStringAsync();
        Assert.Contains("Sam Operator · operator", page, StringComparison.Ordinal);

        // The code was redeemed once, by the dashboard's back channel, with its secret and the PKCE verifier.
        var token = Assert.Single(_provider.TokenRequests);
        Assert.Equal("authorization_code", token["grant_type"]);
        Assert.Equal(new Uri(_dashboard.BaseAddress, "/signin-oidc").ToString(), token["redirect_uri"]);
        Assert.Matches("^[A-Za-z0-9_-]{43,128}$", token["code_verifier"]);
    }

    [Fact]
    public async Task A_viewer_of_the_provider_reads_but_may_not_acknowledge()
    {
        _provider.NextUser = ("Vera Viewer", ["sentiment-viewer", "other-app-admin"]);
        var browser = new CookieBrowser();

        await browser.SignInThroughAsync(_dashboard.BaseAddress, "/");

        var page = await (await browser.GetAsync(new Uri(_dashboard.BaseAddress, "/"))).Content.ReadAsStringAsync();
        Assert.Contains("Vera Viewer · viewer", page, StringComparison.Ordinal);
        using var acknowledge = new HttpRequestMessage(HttpMethod.Post, new Uri(_dashboard.BaseAddress, $"/api/alerts/{Guid.NewGuid()}/ack"));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(acknowledge)).StatusCode);
    }

    [Fact]
    public async Task An_account_without_a_sentiment_role_is_sent_back_to_the_login_without_a_session()
    {
        _provider.NextUser = ("Nora Nobody", ["other-app-admin"]);
        var browser = new CookieBrowser();

        var location = await browser.SignInThroughAsync(_dashboard.BaseAddress, "/");

        Assert.Equal("/login?failed=sso", location);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri(_dashboard.BaseAddress, "/api/metrics"))).StatusCode);
        var login = await (await browser.GetAsync(new Uri(_dashboard.BaseAddress, location))).Content.ReadAsStringAsync();
        Assert.Contains("Single sign-on did not sign you in", login, StringComparison.Ordinal);
    }

    /// <summary>
    /// A browser's part in the flow: follows redirects by hand, posts the provider's form, and keeps cookies itself,
    /// because the correlation cookies are marked Secure and a cookie jar would not send them over http on loopback.
    /// </summary>
    private sealed partial class CookieBrowser
    {
        private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        /// <summary>Opens <paramref name="path"/>, signs in at the provider, and returns where the dashboard sends the user after.</summary>
        public async Task<string> SignInThroughAsync(Uri dashboard, string path)
        {
            using var page = await GetAsync(new Uri(dashboard, path));
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            var authorize = page.Headers.Location!;
            Assert.StartsWith("/authorize", authorize.AbsolutePath, StringComparison.Ordinal);

            using var provider = await GetAsync(authorize);
            var form = await provider.Content.ReadAsStringAsync();
            var action = WebUtility.HtmlDecode(FormAction().Match(form).Groups[1].Value);
            var fields = HiddenInput().Matches(form).ToDictionary(match => match.Groups[1].Value, match => WebUtility.HtmlDecode(match.Groups[2].Value));

            using var callback = await SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) });
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
            var location = callback.Headers.Location!;
            return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
        }

        public Task<HttpResponseMessage> GetAsync(Uri uri) => SendAsync(new HttpRequestMessage(HttpMethod.Get, uri));

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(cookie => $"{cookie.Key}={cookie.Value}")));
            }

            var response = await _client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0].Split('=', 2);
                if (pair[1].Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    _cookies.Remove(pair[0]);
                }
                else
                {
                    _cookies[pair[0]] = pair[1];
                }
            }

            return response;
        }

        [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
        private static partial Regex FormAction();

        [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
        private static partial Regex HiddenInput();
    }
}
