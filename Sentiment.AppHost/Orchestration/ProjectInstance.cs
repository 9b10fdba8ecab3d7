using System.Globalization;
using System.Net.Sockets;
using Sentiment.AppHost.Processes;

namespace Sentiment.AppHost.Orchestration;

/// <summary>One replica of a project: <c>dotnet {output}.dll</c> in the project folder, ready when its health check answers.</summary>
internal sealed class ProjectInstance(
    string replicaName,
    string dotnet,
    string assemblyPath,
    string projectDirectory,
    int port,
    string? healthCheckPath,
    IReadOnlyDictionary<string, string?> environment,
    IChildOutput output)
    : ResourceProcess(replicaName, output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public int Port { get; } = port;

    public string Url { get; } = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    protected override ChildProcessSpec CreateSpec() => new()
    {
        Name = Name,
        FileName = dotnet,
        Arguments = [assemblyPath],
        WorkingDirectory = projectDirectory,
        Environment = environment,
        StopSignal = StopSignal.Terminate,
    };

    protected override Task WaitUntilReadyAsync(CancellationToken cancellationToken) =>
        PollAsync(healthCheckPath is null ? AcceptsConnectionsAsync : IsHealthyAsync, cancellationToken);

    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(Url + healthCheckPath), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
