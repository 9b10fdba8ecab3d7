using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Sentiment.AppHost.Hosting;

/// <summary>
/// How Redis keeps the messages it holds, the same for the local server and the deployed container: every write in
/// the append-only file, flushed as <c>AppHost:RedisAppendFsync</c> says (docs/reliability.md), and a memory limit that
/// refuses writes (OOM, which ingest answers with 503) rather than evicts: every key holds messages, alert state or
/// deliveries that must not vanish.
/// </summary>
public sealed partial record RedisDurability(string MaxMemory, string AppendFsync)
{
    /// <summary>Redis's <c>maxmemory</c>: a number of bytes, or with kb, mb or gb.</summary>
    public const string MaxMemorySetting = "AppHost:RedisMaxMemory";

    public const string DefaultMaxMemory = "2gb";

    /// <summary>Redis's <c>appendfsync</c>: how often the append-only file is flushed to disk (docs/reliability.md).</summary>
    public const string AppendFsyncSetting = "AppHost:RedisAppendFsync";

    public const string DefaultAppendFsync = "everysec";

    private static readonly string[] AppendFsyncPolicies = ["always", "everysec", "no"];

    /// <summary>The settings from configuration, or a start that stops with a message naming the bad one.</summary>
    public static RedisDurability Read(IConfiguration configuration)
    {
        var maxMemory = configuration[MaxMemorySetting] is { Length: > 0 } memory ? memory.Trim().ToLowerInvariant() : DefaultMaxMemory;
        if (!MemorySize().IsMatch(maxMemory))
        {
            throw new DistributedApplicationException($"{MaxMemorySetting} must be a number of bytes, or one with kb, mb or gb (e.g. 2gb), not '{maxMemory}'.");
        }

        // everysec can lose up to about a second of accepted messages in a power cut (not in a crash of Redis alone);
        // always loses none, at the cost measured in docs/reliability.md.
        var appendFsync = configuration[AppendFsyncSetting] is { Length: > 0 } fsync ? fsync.Trim().ToLowerInvariant() : DefaultAppendFsync;
        if (!AppendFsyncPolicies.Contains(appendFsync))
        {
            throw new DistributedApplicationException($"{AppendFsyncSetting} must be always, everysec or no, not '{appendFsync}'.");
        }

        return new RedisDurability(maxMemory, appendFsync);
    }

    /// <summary>The settings as redis.conf directives, which are also redis-server's command-line options with "--".</summary>
    public IReadOnlyList<string> Directives =>
    [
        "appendonly yes",
        $"appendfsync {AppendFsync}",
        $"maxmemory {MaxMemory}",
        "maxmemory-policy noeviction",
    ];

    [GeneratedRegex("^[0-9]+(kb|mb|gb)?$", RegexOptions.CultureInvariant)]
    private static partial Regex MemorySize();
}
