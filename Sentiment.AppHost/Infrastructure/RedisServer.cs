using System.Globalization;
using System.Text;
using Sentiment.AppHost.Processes;
using StackExchange.Redis;

namespace Sentiment.AppHost.Infrastructure;

/// <summary>
/// A local <c>redis-server</c> on 127.0.0.1 with a password and append-only persistence, ready once PING answers.
/// </summary>
public sealed class RedisServer : ResourceProcess
{
    private readonly string _executable;

    public RedisServer(string name, RedisServerOptions options, IChildOutput? output = null)
        : base(name, output)
    {
        Options = options;
        _executable = ExecutableFinder.Find("redis-server")
            ?? throw new MissingDependencyException("redis-server", "redis-server");
        StartupTimeout = TimeSpan.FromSeconds(30);
    }

    public RedisServerOptions Options { get; }

    /// <summary>StackExchange.Redis format, the value of <c>ConnectionStrings__redis</c>.</summary>
    public string ConnectionString =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Options.Port},password={Options.Password}");

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Options.DataDirectory);
        return Task.CompletedTask;
    }

    protected override ChildProcessSpec CreateSpec() => new()
    {
        Name = Name,
        FileName = _executable,

        // "-" reads the configuration from standard input, so the password never appears in ps or /proc/*/cmdline.
        Arguments = ["-"],
        StandardInput = CreateConfiguration(),
        StopSignal = StopSignal.Terminate,
    };

    protected override Task WaitUntilReadyAsync(CancellationToken cancellationToken) =>
        PollAsync(PingAsync, cancellationToken);

    private string CreateConfiguration()
    {
        var configuration = new StringBuilder();
        configuration.AppendLine("bind 127.0.0.1");
        configuration.AppendLine(CultureInfo.InvariantCulture, $"port {Options.Port}");
        configuration.AppendLine(CultureInfo.InvariantCulture, $"requirepass {Options.Password}");
        configuration.AppendLine("appendonly yes");
        configuration.AppendLine("appendfsync everysec");
        configuration.AppendLine(CultureInfo.InvariantCulture, $"dir {Quote(Options.DataDirectory)}");
        configuration.AppendLine("daemonize no");
        configuration.AppendLine("logfile \"\"");
        return configuration.ToString();
    }

    // redis.conf strings are double-quoted with backslash escapes.
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private Task<bool> PingAsync(CancellationToken cancellationToken) => PingAsync(ConnectionString, cancellationToken);

    /// <summary>Whether the server answers PING; false while it is not listening or still loading its data.</summary>
    public static async Task<bool> PingAsync(string connectionString, CancellationToken cancellationToken)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = true;
        configuration.ConnectRetry = 0;
        configuration.ConnectTimeout = 1000;
        configuration.SyncTimeout = 1000;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken);
            await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Not listening yet, or still loading the append-only file (PING answers LOADING).
            return false;
        }
    }
}
