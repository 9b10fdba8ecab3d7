using System.Diagnostics;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using Sentiment.Tests.AppHost;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Dashboard.Browser;

/// <summary>
/// Telemetry lands in the Aspire dashboard the AppHost starts: a posted message's one trace, from the ingest request
/// through the worker's stages to the stored row and the alert, and the services' metrics and structured logs.
/// </summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AspireDashboardTests(RunningSystemFixture system, ChromiumFixture browser) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_very_negative_message_is_one_trace_from_the_ingest_request_to_its_alert()
    {
        // The request carries its own trace context, so the test knows which trace to open.
        var traceId = ActivityTraceId.CreateRandom();
        // A source no other test posts to: alerts are deduplicated per rule and source for a cooldown.
        using var request = system.IngestRequest(
            JsonContent.Create(new { source = "trace-check", text = "The support agent was rude and unhelpful, absolutely horrible" }));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await system.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        var page = await OpenDashboardAsync();
        // As the Aspire dashboard names them: messaging spans read "MSG <system> <destination>" there.
        string[] spans =
        [
            "POST /api/ingest/", "MSG redis sentiment:input", "preprocess", "inference", "tag topics", "store results",
            "evaluate alerts", "MSG redis sentiment:alerts",
        ];
        await Eventually(page, $"/traces/detail/{traceId}", async () =>
        {
            var text = await page.Locator("body").InnerTextAsync();
            return spans.All(span => text.Contains(span, StringComparison.Ordinal));
        });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ModelTestPaths.RepositoryRoot, "docs", "aspire-trace.png"), FullPage = true });

        var body = await page.Locator("body").InnerTextAsync();
        Assert.All(spans, span => Assert.Contains(span, body, StringComparison.Ordinal));
        Assert.Contains("ingest: POST /api/ingest/", body, StringComparison.Ordinal);
        Assert.Contains("worker-", body, StringComparison.Ordinal); // a worker replica's spans, in the same trace
    }

    [Fact]
    public async Task Services_metrics_and_structured_logs_reach_the_aspire_dashboard()
    {
        await system.PostAsync([("survey", "Checkout was quick and the app is lovely", DateTimeOffset.UtcNow)]);
        var page = await OpenDashboardAsync();

        await Eventually(page, "/structuredlogs/resource/migrations", async () =>
            (await page.Locator("body").InnerTextAsync()).Contains("The results database is up to date", StringComparison.Ordinal));
        await Eventually(page, "/metrics/resource/ingest", async () =>
            (await page.Locator("body").InnerTextAsync()).Contains("Sentiment.Ingest", StringComparison.Ordinal));
    }

    private async Task<IPage> OpenDashboardAsync()
    {
        var page = await browser.Chromium.NewPageAsync(1600, 1000);
        await page.GotoAsync((await system.App.GetDashboardUrlAsync()).ToString());
        return page;
    }

    /// <summary>Opens <paramref name="path"/> again until <paramref name="shows"/> holds: telemetry arrives in batches.</summary>
    private static async Task Eventually(IPage page, string path, Func<Task<bool>> shows)
    {
        var origin = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await page.GotoAsync(origin + path);
            await page.WaitForTimeoutAsync(2000);
            if (await shows())
            {
                return;
            }

            if (deadline.Elapsed > Timeout)
            {
                Assert.Fail($"{path} did not show what was expected within {Timeout.TotalSeconds:0} s. It showed:{Environment.NewLine}{await page.Locator("body").InnerTextAsync()}");
            }
        }
    }
}
