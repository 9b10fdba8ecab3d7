using Microsoft.Playwright;
using Xunit.Sdk;

namespace Sentiment.Tests.Dashboard.Browser;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by eng/prerequisites.sh) driven by Playwright, headless.
/// Playwright's own browser builds are never downloaded: only the driver that ships in the NuGet package is used.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private ChromiumBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new XunitException($"{ExecutablePath} is missing: install Debian's chromium package (./test.sh does).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // /dev/shm is small in containers; Chromium falls back to /tmp with this.
                Args = ["--disable-dev-shm-usage"],
            });
            return new ChromiumBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh context of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
