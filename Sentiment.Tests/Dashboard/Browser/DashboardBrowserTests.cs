using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Sentiment.Tests.AppHost;
using Sentiment.Tests.Model;
using Xunit.Abstractions;

namespace Sentiment.Tests.Dashboard.Browser;

/// <summary>
/// The dashboard in Debian's Chromium against the real pipeline: messages posted to the ingest API reach the open
/// page through the workers, PostgreSQL, Redis and the circuit, without a reload.
/// </summary>
[Collection(AppHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DashboardBrowserTests(RunningSystemFixture system, ChromiumFixture browser, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan UpdateTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Positive =
    [
        "Customer service was wonderful, they solved my billing problem in minutes",
        "Great quality product, exactly as described, love it",
        "Shipping was quick and the tracking worked well",
        "Battery life of this phone is excellent",
        "Website checkout is fast and simple",
    ];

    // Each scores below -0.9 with the shipped model: an alert for a very negative message fires.
    private static readonly string[] VeryNegative =
    [
        "The support agent was rude and unhelpful, absolutely horrible",
        "Refund took three weeks, worst returns process ever, I am furious",
        "The delivery was late again and the package arrived damaged, terrible shipping",
    ];

    private static readonly string[] Sources = ["twitter", "reviews", "support", "survey"];

    [Fact]
    public async Task Overview_shows_posted_messages_and_their_alerts_without_a_reload()
    {
        var page = await OpenOverviewAsync(1280, 900);
        var totalBefore = await TotalAsync(page);
        var alertsBefore = await page.Locator("ol.alert-feed > li").CountAsync();
        var donutBefore = await DonutLabelAsync(page);
        // Survives only while the page is not reloaded or navigated away from.
        await page.EvaluateAsync("() => window.sentimentTestMarker = 'same page'");

        // A baseline three hours back, outside the overview's hour: the keywords of the 50 then trend against it.
        var now = DateTimeOffset.UtcNow;
        await system.PostAsync(Enumerable.Range(0, 20).Select(i => ("survey", Positive[i % 2], now.AddHours(-3).AddMinutes(-i))));
        var messages = Enumerable.Range(0, 50)
            .Select(i => (Sources[i % Sources.Length], i % 5 == 0 ? VeryNegative[i / 5 % VeryNegative.Length] : Positive[i % Positive.Length], now.AddSeconds(-i)))
            .ToList();

        await system.PostAsync(messages);
        var sincePosted = Stopwatch.StartNew();
        await WaitForTotalAsync(page, total => total > totalBefore, "the total to change");
        var firstUpdate = sincePosted.Elapsed;
        await WaitForTotalAsync(page, total => total == totalBefore + 50, $"the total to reach {totalBefore + 50}");
        var allShown = sincePosted.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Ingest POST response to the page's total: first change {firstUpdate.TotalMilliseconds:F0} ms, all 50 shown {allShown.TotalMilliseconds:F0} ms"));

        Assert.Equal(totalBefore + 50, await TotalAsync(page));
        var donut = await DonutLabelAsync(page);
        Assert.NotEqual(donutBefore, donut);
        Assert.StartsWith($"Sentiment of {totalBefore + 50} messages: ", donut, StringComparison.Ordinal);
        Assert.True(await page.Locator("figure[data-chart=distribution] svg path").CountAsync() > 0, "the donut draws its segments");
        await Assertions.Expect(page.Locator("ol.alert-feed > li"))
            .Not.ToHaveCountAsync(alertsBefore, new() { Timeout = (float)UpdateTimeout.TotalMilliseconds });
        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.sentimentTestMarker"));
        await AssertNoHorizontalOverflowAsync(page);

        await ScreenshotAsync(page, "dashboard.png");
    }

    [Fact]
    public async Task One_message_reaches_the_open_overview_and_its_delay_is_reported()
    {
        var page = await OpenOverviewAsync(1280, 900);
        var totalBefore = await TotalAsync(page);

        var ids = await system.PostAsync([("app-store", Positive[0], DateTimeOffset.UtcNow)]);
        var sincePosted = Stopwatch.StartNew();
        await WaitForTotalAsync(page, total => total == totalBefore + 1, $"the total to reach {totalBefore + 1}");
        var shown = sincePosted.Elapsed;

        // The message's page gives the worker's share (ingest to stored, in ms); the rest is the live path:
        // the results channel, the dashboard's batching, the re-read and the render over the circuit.
        var detail = await browser.Chromium.NewPageAsync(1280, 900);
        await system.SignInAsync(detail);
        await detail.GotoAsync($"{system.DashboardUrl}/messages/{Uri.EscapeDataString(ids[0])}");
        var stored = detail.Locator("dt:text-is('Ingest to stored') + dd");
        await Assertions.Expect(stored).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d,]+ ms$"));
        var ingestToStored = double.Parse((await stored.TextContentAsync())!.Replace(" ms", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"One message: ingest POST response to the page's total {shown.TotalMilliseconds:F0} ms, of which ingest to stored {ingestToStored:F0} ms, so stored to shown at most {shown.TotalMilliseconds - ingestToStored:F0} ms"));

        Assert.Equal(totalBefore + 1, await TotalAsync(page));
    }

    [Fact]
    public async Task Choosing_a_source_filters_every_view_and_is_kept_in_the_address()
    {
        var page = await OpenOverviewAsync(1280, 900);
        var totalBefore = await TotalAsync(page);
        await system.PostAsync([("forum", Positive[1], DateTimeOffset.UtcNow), ("forum", VeryNegative[2], DateTimeOffset.UtcNow)]);
        await WaitForTotalAsync(page, total => total == totalBefore + 2, $"the total to reach {totalBefore + 2}");
        await Assertions.Expect(page.Locator("#filter-source option[value=forum]")).ToHaveCountAsync(1);

        await page.Locator("#filter-source").SelectOptionAsync("forum");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?source=forum$"));
        await Assertions.Expect(page.Locator("[data-metric=total]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("figure[data-chart=sources] table tbody th")).ToHaveTextAsync(["forum"]);
        await Assertions.Expect(page.Locator("figure[data-chart=distribution] .rz-chart"))
            .ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^Sentiment of 2 messages: "));
        Assert.All(await page.Locator("ol.alert-feed > li p.muted").AllTextContentsAsync(), text => Assert.EndsWith("· source forum", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bookmarked_or_reloaded_address_shows_its_filters_in_the_dropdowns()
    {
        // Sources that sort before and after the chosen one, so a select showing its first or last option is caught.
        var now = DateTimeOffset.UtcNow;
        await system.PostAsync([("reviews", Positive[0], now), ("twitter", Positive[1], now), ("app-store", VeryNegative[0], now)]);
        var page = await browser.Chromium.NewPageAsync(1280, 900);
        await system.SignInAsync(page);

        await page.GotoAsync($"{system.DashboardUrl}/?range=24h&source=twitter");
        await Assertions.Expect(page.Locator(".live-status[data-live=on]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#filter-source option[value=reviews]")).ToHaveCountAsync(1);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator(".live-status[data-live=on]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        Assert.Equal("twitter", await page.Locator("#filter-source").InputValueAsync());
        Assert.Equal("24h", await page.Locator("#filter-range").InputValueAsync());

        await page.GotoAsync($"{system.DashboardUrl}/messages?label=negative&topic=Shipping");
        await Assertions.Expect(page.Locator("#search-topic option[value=Shipping]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#search-topic")).ToHaveValueAsync("Shipping");
        await Assertions.Expect(page.Locator("#search-label")).ToHaveValueAsync("negative");
    }

    [Fact]
    public async Task A_rejected_search_names_its_field_and_shows_no_list_of_other_messages()
    {
        await system.PostAsync([("survey", Positive[0], DateTimeOffset.UtcNow)]);
        var page = await browser.Chromium.NewPageAsync(1280, 900);
        await system.SignInAsync(page);
        await page.GotoAsync($"{system.DashboardUrl}/messages?range=24h");
        await Assertions.Expect(page.Locator("table tbody tr").First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The form answers once the page's circuit is up; until then a click does nothing the test can see, so try again.
        var error = page.Locator("#search-text-error");
        for (var attempt = 0; attempt < 10 && await error.CountAsync() == 0; attempt++)
        {
            await page.Locator("#search-text").FillAsync("ab");
            await page.Locator("button[type=submit]", new() { HasTextString = "Search" }).ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }

        await Assertions.Expect(error).ToContainTextAsync("Search for 3 to");
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("p.empty")).ToHaveTextAsync("Correct the search above to see messages.");
    }

    [Fact]
    public async Task Acknowledging_an_alert_marks_it_in_the_feed_and_lowers_the_active_count()
    {
        var page = await OpenOverviewAsync(1280, 900);
        await system.PostAsync([("email", VeryNegative[0], DateTimeOffset.UtcNow)]);
        var alert = page.Locator("ol.alert-feed > li.active", new() { HasText = "source email" });
        await Assertions.Expect(alert).ToHaveCountAsync(1, new() { Timeout = (float)UpdateTimeout.TotalMilliseconds });
        var activeBefore = int.Parse(await page.Locator("[data-metric=alerts]").TextContentAsync() ?? "", CultureInfo.InvariantCulture);
        var alertId = await alert.GetAttributeAsync("data-alert-id");

        await alert.GetByRole(AriaRole.Button, new() { NameRegex = new("^Acknowledge alert") }).ClickAsync();

        var acknowledged = page.Locator($"ol.alert-feed > li[data-alert-id='{alertId}']");
        await Assertions.Expect(acknowledged).ToHaveClassAsync("acknowledged");
        await Assertions.Expect(acknowledged.Locator("[data-alert-status]")).ToContainTextAsync("Acknowledged ");
        await Assertions.Expect(page.Locator("[data-metric=alerts]")).ToHaveTextAsync((activeBefore - 1).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task At_800_px_nothing_overflows_and_Tab_reaches_the_filters_and_an_acknowledge_button()
    {
        var page = await OpenOverviewAsync(800, 900);
        await system.PostAsync([("chat", VeryNegative[1], DateTimeOffset.UtcNow)]);
        await Assertions.Expect(page.Locator("ol.alert-feed > li.active", new() { HasText = "source chat" }))
            .ToHaveCountAsync(1, new() { Timeout = (float)UpdateTimeout.TotalMilliseconds });

        await AssertNoHorizontalOverflowAsync(page);

        var reached = new List<string>();
        for (var press = 0; press < 80 && !reached.Any(IsAcknowledgeButton); press++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>(
                "() => { const e = document.activeElement; return e.tagName + '#' + e.id + ' ' + (e.getAttribute('aria-label') ?? e.textContent.trim()); }"));
        }

        Assert.Contains(reached, focused => focused.StartsWith("SELECT#filter-range", StringComparison.Ordinal));
        Assert.Contains(reached, focused => focused.StartsWith("SELECT#filter-source", StringComparison.Ordinal));
        Assert.Contains(reached, focused => focused.StartsWith("SELECT#filter-bucket", StringComparison.Ordinal));
        Assert.True(reached.Any(IsAcknowledgeButton), "Tab never reached an acknowledge button; it reached: " + string.Join(", ", reached));

        await ScreenshotAsync(page, "dashboard-800.png");
    }

    /// <summary>
    /// Saves the page under docs/ once the over-time chart has drawn its axes: a chart re-rendering for a live
    /// update can be caught half drawn.
    /// </summary>
    private static async Task ScreenshotAsync(IPage page, string fileName)
    {
        await Assertions.Expect(page.Locator("figure[data-chart=over-time] svg text", new() { HasText = "Messages" }))
            .ToBeVisibleAsync(new() { Timeout = (float)UpdateTimeout.TotalMilliseconds });
        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new() { Path = DocsPath(fileName), FullPage = true });
    }

    private static async Task AssertNoHorizontalOverflowAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide in a {widths[1]} px window.");
    }

    private static bool IsAcknowledgeButton(string focused) => focused.StartsWith("BUTTON# Acknowledge alert:", StringComparison.Ordinal);

    /// <summary>Opens the overview and waits until its circuit is up and it has subscribed to live updates.</summary>
    private async Task<IPage> OpenOverviewAsync(int width, int height)
    {
        var page = await browser.Chromium.NewPageAsync(width, height);
        await system.SignInAsync(page);
        await page.GotoAsync(system.DashboardUrl);
        await Assertions.Expect(page.Locator(".live-status[data-live=on]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        return page;
    }

    private static async Task<long> TotalAsync(IPage page) =>
        long.Parse(await page.Locator("[data-metric=total]").TextContentAsync() ?? "", NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private static async Task<string?> DonutLabelAsync(IPage page)
    {
        var chart = page.Locator("figure[data-chart=distribution] .rz-chart[role=img]");
        return await chart.CountAsync() == 0 ? null : await chart.GetAttributeAsync("aria-label");
    }

    private static async Task WaitForTotalAsync(IPage page, Func<long, bool> isDone, string awaited)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Waits in the page for the figure's text to change, so the time it shows up is seen at once.
            var before = await page.Locator("[data-metric=total]").TextContentAsync();
            if (isDone(long.Parse(before ?? "", NumberStyles.AllowThousands, CultureInfo.InvariantCulture)))
            {
                return;
            }

            var remaining = UpdateTimeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Waited {UpdateTimeout.TotalSeconds:F0} s for {awaited}; the page shows {before}.");
            }

            try
            {
                await page.WaitForFunctionAsync(
                    "previous => document.querySelector('[data-metric=total]').textContent !== previous",
                    before,
                    new() { Timeout = (float)remaining.TotalMilliseconds });
            }
            // Playwright's timeout is its own type or System's, depending on where it arose.
            catch (Exception exception) when (exception.GetType().Name == nameof(TimeoutException))
            {
                throw new TimeoutException($"Waited {UpdateTimeout.TotalSeconds:F0} s for {awaited}; the page shows {before}.");
            }
        }
    }

    /// <summary>Where the README's screenshots live.</summary>
    private static string DocsPath(string file) => Path.Combine(ModelTestPaths.RepositoryRoot, "docs", file);
}
