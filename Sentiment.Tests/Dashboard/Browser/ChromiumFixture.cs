namespace Sentiment.Tests.Dashboard.Browser;

/// <summary>Debian's Chromium, shared by the browser tests of one class.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private ChromiumBrowser? _chromium;

    public ChromiumBrowser Chromium => _chromium ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _chromium = await ChromiumBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
    }
}
