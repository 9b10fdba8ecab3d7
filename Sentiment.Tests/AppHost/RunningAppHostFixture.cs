namespace Sentiment.Tests.AppHost;

/// <summary>One AppHost with the default model (2 workers), started and ready, shared by tests that only look.</summary>
public sealed class RunningAppHostFixture : IAsyncLifetime
{
    private AppHostProcess? _host;

    public AppHostProcess Host => _host ?? throw new InvalidOperationException("Not started.");

    public string ReadyLine { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _host = await AppHostProcess.StartAsync();
        try
        {
            ReadyLine = await _host.WaitUntilReadyAsync();
        }
        catch
        {
            // xunit 2 disposes after a failed initialisation, xunit 3 does not; disposing twice is harmless.
            await _host.DisposeAsync();
            _host = null;
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>The host's child running <paramref name="assembly"/> (such as Sentiment.Worker.dll).</summary>
    public IReadOnlyList<ProcessEntry> ChildrenRunning(string assembly) => Host.Children()
        .Where(child => child.IsRunning && child.CommandLine.EndsWith("/" + assembly, StringComparison.Ordinal))
        .ToList();
}
