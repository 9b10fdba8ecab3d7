using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Sentiment.Dashboard.Authentication;
using Sentiment.Dashboard.Hubs;
using Sentiment.Tests.Dashboard.Support;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Dashboard;

[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class DashboardAuthenticationTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private const string OperatorPassword = "correct horse battery staple";
    private const string ViewerPassword = "viewer password, long enough";
    private RedisTestDatabase _redis = null!;
    private DashboardDatabase _database = null!;
    private DashboardApplication _dashboard = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisTestDatabase.CreateAsync(infrastructure);
        _database = await DashboardDatabase.CreateAsync(infrastructure);
        _dashboard = new DashboardApplication(_redis.ConnectionString, _database.ConnectionString, new Dictionary<string, string>
        {
            ["Dashboard:Authentication:Users:0:Name"] = "olivia",
            ["Dashboard:Authentication:Users:0:PasswordHash"] = PasswordHashes.Hash(OperatorPassword),
            ["Dashboard:Authentication:Users:0:Role"] = "operator",
            ["Dashboard:Authentication:Users:1:Name"] = "victor",
            ["Dashboard:Authentication:Users:1:PasswordHash"] = PasswordHashes.Hash(ViewerPassword),
            ["Dashboard:Authentication:Users:1:Role"] = "viewer",
            ["Dashboard:Authentication:LoginAttemptsPerMinute"] = "4",
        }).Start();
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Every_page_api_endpoint_and_hub_refuses_an_anonymous_caller()
    {
        using var client = Anonymous();
        var endpoints = _dashboard.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // The static files (scripts, styles) are public on purpose: the login page needs them.
            .Where(endpoint => !endpoint.Metadata.Any(item => item.GetType().Name == "StaticAssetDescriptor"))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Method: method, Path: Concrete(endpoint.RoutePattern.RawText!))))
            .Distinct()
            .ToList();

        var open = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            var refused = response.StatusCode == HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath == "/login");
            if (!refused)
            {
                open.Add($"{method} {path}");
            }
        }

        Assert.Contains(("GET", "/api/sentiment"), endpoints);
        Assert.Contains(("GET", "/hubs/sentiment/negotiate"), endpoints);
        Assert.Contains(("GET", "/messages/x"), endpoints);
        // The probes, the login, and the error pages (a post to those without the page's token gets 400).
        Assert.Equal(
            ["GET /Error", "GET /alive", "GET /health", "GET /login", "GET /not-found", "POST /Error", "POST /login", "POST /not-found"],
            open.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_api_call_without_a_good_key_gets_401_problem_details_and_a_page_goes_to_the_login()
    {
        using var client = Anonymous();

        using var api = await client.GetAsync("/api/metrics");
        using var wrongKey = await _dashboard.CreateApiClient("snt_read_wrong").GetAsync("/api/metrics");
        using var page = await client.GetAsync("/messages?q=refund");

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fmessages%3Fq%3Drefund", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_viewer_key_reads_but_may_not_acknowledge_an_alert()
    {
        var alert = TestAlerts.VeryNegative("m1", DateTimeOffset.UtcNow);
        await _database.InsertAlertAsync(alert);
        using var viewer = _dashboard.CreateApiClient();

        using var read = await viewer.GetAsync("/api/alerts");
        using var acknowledge = await viewer.PostAsync($"/api/alerts/{alert.Id}/ack", null);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, acknowledge.StatusCode);
        Assert.Equal("application/problem+json", acknowledge.Content.Headers.ContentType?.MediaType);
        Assert.Equal("active", (await _dashboard.Services.GetRequiredService<Sentiment.Dashboard.Queries.AlertsQuery>().GetAsync(alert.Id))!.Status);
    }

    [Fact]
    public async Task The_hub_refuses_anonymous_connections_and_pages_of_other_origins()
    {
        using var anonymous = Anonymous();
        using var anonymousNegotiate = await anonymous.PostAsync($"{SentimentHub.Path}/negotiate?negotiateVersion=1", null);

        using var keyed = _dashboard.CreateApiClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Post, $"{SentimentHub.Path}/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "http://evil.example");
        using var foreignNegotiate = await keyed.SendAsync(foreign);
        using var own = new HttpRequestMessage(HttpMethod.Post, $"{SentimentHub.Path}/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", $"{_dashboard.BaseAddress.Scheme}://{_dashboard.BaseAddress.Authority}");
        using var ownNegotiate = await keyed.SendAsync(own);
        // Browsers' WebSocket clients cannot set headers, so the key may come as access_token on the hub's URL.
        using var queryToken = await anonymous.PostAsync($"{SentimentHub.Path}/negotiate?negotiateVersion=1&access_token={TestCredentials.ReadKey}", null);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousNegotiate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreignNegotiate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownNegotiate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, queryToken.StatusCode);

        var connection = new HubConnectionBuilder().WithUrl(new Uri(_dashboard.BaseAddress, SentimentHub.Path)).Build();
        await using (connection)
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public async Task An_operator_signs_in_with_the_form_and_acknowledges_only_with_the_antiforgery_token()
    {
        var alert = TestAlerts.VeryNegative("m1", DateTimeOffset.UtcNow);
        await _database.InsertAlertAsync(alert);
        using var browser = Browser();

        Assert.True(await SignInAsync(browser, "olivia", OperatorPassword));
        using var home = await browser.GetAsync("/");
        var page = await home.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("olivia · operator", page, StringComparison.Ordinal);

        // What another site's form post would be: the session, but not the page's token.
        using var forged = await browser.PostAsync($"/api/alerts/{alert.Id}/ack", null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("active", await StatusOfAsync(alert.Id));

        using var withToken = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{alert.Id}/ack");
        withToken.Headers.Add("RequestVerificationToken", AntiforgeryToken(page));
        using var acknowledged = await browser.SendAsync(withToken);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal("acknowledged", await StatusOfAsync(alert.Id));

        // Signing out ends the session.
        using var signOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }));
        Assert.Equal("/login", signOut.Headers.Location?.OriginalString);
        using var after = await browser.GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_viewer_signed_in_reads_but_may_not_acknowledge()
    {
        var alert = TestAlerts.VeryNegative("m1", DateTimeOffset.UtcNow);
        await _database.InsertAlertAsync(alert);
        using var browser = Browser();

        Assert.True(await SignInAsync(browser, "VICTOR", ViewerPassword)); // names are not case-sensitive
        var page = await (await browser.GetAsync("/")).Content.ReadAsStringAsync();
        using var acknowledge = new HttpRequestMessage(HttpMethod.Post, $"/api/alerts/{alert.Id}/ack");
        acknowledge.Headers.Add("RequestVerificationToken", AntiforgeryToken(page));
        using var response = await browser.SendAsync(acknowledge);

        Assert.Contains("victor · viewer", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("active", await StatusOfAsync(alert.Id));
    }

    [Fact]
    public async Task A_wrong_password_or_name_gets_no_session_and_too_many_tries_get_429()
    {
        using var browser = Browser();

        Assert.False(await SignInAsync(browser, "olivia", "not the password"));
        Assert.False(await SignInAsync(browser, "nobody", OperatorPassword));
        using var api = await browser.GetAsync("/api/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        // Four posts a minute are allowed here; the fifth is refused before the password is checked.
        Assert.False(await SignInAsync(browser, "olivia", "still wrong"));
        Assert.True(await SignInAsync(browser, "olivia", OperatorPassword));
        var (status, _) = await PostLoginAsync(browser, "olivia", OperatorPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
    }

    [Theory]
    [InlineData("/messages", "/messages")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData(null, "/")]
    public void After_signing_in_the_user_goes_back_only_to_a_page_of_this_site(string? returnUrl, string expected) =>
        Assert.Equal(expected, Sentiment.Dashboard.Components.Account.Login.LocalReturnUrl(returnUrl));

    private HttpClient Anonymous() =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _dashboard.BaseAddress };

    private HttpClient Browser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = _dashboard.BaseAddress,
        };

    private async Task<string> StatusOfAsync(Guid alertId) =>
        (await _dashboard.Services.GetRequiredService<Sentiment.Dashboard.Queries.AlertsQuery>().GetAsync(alertId))!.Status;

    /// <summary>Fills in and posts the login form as a browser does; true if it signed in (a redirect with the session).</summary>
    private static async Task<bool> SignInAsync(HttpClient browser, string name, string password)
    {
        var (status, location) = await PostLoginAsync(browser, name, password);
        return status == HttpStatusCode.Redirect && location == "/";
    }

    private static async Task<(HttpStatusCode Status, string? Location)> PostLoginAsync(HttpClient browser, string name, string password)
    {
        var form = await (await browser.GetAsync("/login")).Content.ReadAsStringAsync();
        using var response = await browser.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Name"] = name,
            ["Input.Password"] = password,
        }));
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Contains("The name or password is not right.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        return (response.StatusCode, response.Headers.Location is { } location ? (location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString) : null);
    }

    private static string AntiforgeryToken(string page) =>
        WebUtility.HtmlDecode(TokenInput().Match(page) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page."));

    /// <summary>A route pattern with its parameters filled in, e.g. /messages/{id} as /messages/x.</summary>
    private static string Concrete(string pattern) =>
        "/" + RouteParameter().Replace(pattern, match => match.Value.Contains("documentName", StringComparison.Ordinal) ? "v1" : "x").Trim('/');

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
