namespace Sentiment.Cli.Load;

/// <summary>
/// What one load run sends: <see cref="Messages"/> generated tweet-length messages under a source of their own
/// (<c>{SourcePrefix}-{RunId}</c>), each with a unique id, posted in batches by <see cref="Senders"/> concurrent senders.
/// </summary>
public sealed record LoadPlan
{
    public required int Messages { get; init; }

    /// <summary>Messages per request (ingest takes up to Ingest:MaxMessagesPerRequest, 1,000).</summary>
    public int BatchSize { get; init; } = 100;

    public int Senders { get; init; } = 4;

    /// <summary>Target messages per second over the whole run; 0 sends as fast as ingest accepts.</summary>
    public double Rate { get; init; }

    /// <summary>
    /// Longest wait before a retry. Ingest's Retry-After (5 s) is honoured up to this; tests shorten it to keep runs short.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may take before it counts as failed and is sent again, with the same ids.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait, after the last message was accepted, for every accepted message to be stored.</summary>
    public TimeSpan StoreTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public string SourcePrefix { get; init; } = "load";

    /// <summary>Tells this run's source and ids apart from every other run's.</summary>
    public string RunId { get; init; } = NewRunId();

    public string Source => $"{SourcePrefix}-{RunId}";

    public int Batches => (Messages + BatchSize - 1) / BatchSize;

    /// <summary>Message <paramref name="index"/>'s id: the run id and the index, so a retry sends the very same ids.</summary>
    public string MessageId(int index) => $"{RunId}-{index:D7}";

    /// <summary>The plan's first problem, naming the option, or null.</summary>
    public string? Problem() => this switch
    {
        { Messages: < 1 or > 10_000_000 } => "--messages must be from 1 to 10,000,000",
        { BatchSize: < 1 or > 1000 } => "--batch-size must be from 1 to 1,000 (ingest's Ingest:MaxMessagesPerRequest)",
        { Senders: < 1 or > 64 } => "--senders must be from 1 to 64",
        { Rate: < 0 or double.NaN } => "--rate must be 0 (as fast as possible) or more",
        _ when StoreTimeout <= TimeSpan.Zero => "--timeout must be more than 0 and at most 86,400 seconds",
        _ => null,
    };

    private static string NewRunId() =>
        $"{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..23];
}
