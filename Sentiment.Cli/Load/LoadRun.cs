using System.Diagnostics;

namespace Sentiment.Cli.Load;

/// <summary>
/// Send and count: sends a <see cref="LoadPlan"/> through ingest, optionally sets off a fault once
/// <see cref="FaultAfter"/> messages are accepted (while the rest are still being sent), waits until the source's
/// stored count reaches the accepted count, and then compares the stored ids with the accepted ones.
/// </summary>
public sealed class LoadRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly LoadPlan _plan;
    private readonly StoredResults _stored;
    private readonly Func<CancellationToken, Task>? _fault;
    private readonly Lock _faultLock = new();
    private volatile Task? _faulting;

    /// <param name="fault">Set off once, mid-load; the run waits for it to finish before it counts.</param>
    public LoadRun(HttpClient http, Uri ingest, string ingestKey, Uri dashboard, string readKey, LoadPlan plan, Func<CancellationToken, Task>? fault = null, int? faultAfter = null)
    {
        _plan = plan;
        Sender = new IngestSender(http, ingest, ingestKey, plan);
        _stored = new StoredResults(http, dashboard, readKey);
        _fault = fault;
        FaultAfter = faultAfter ?? plan.Messages / 3;
    }

    /// <summary>The sender, whose counts can be watched while the run goes on.</summary>
    public IngestSender Sender { get; }

    /// <summary>Accepted messages after which the fault is set off.</summary>
    public int FaultAfter { get; }

    /// <summary>Progress lines ("sent 10000 of 20000", "stored 4000 of 20000"), for a console; may be null.</summary>
    public TextWriter? Log { get; init; }

    public async Task<DeliveryReport> RunAsync(CancellationToken cancellationToken)
    {
        using var stopFault = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_fault is not null)
        {
            if (FaultAfter <= 0)
            {
                _faulting = _fault(stopFault.Token);
            }
            else
            {
                Sender.Accepted += accepted =>
                {
                    if (accepted >= FaultAfter && _faulting is null)
                    {
                        lock (_faultLock)
                        {
                            _faulting ??= Task.Run(() => _fault(stopFault.Token), CancellationToken.None);
                        }
                    }
                };
            }
        }

        // A fault that fails (its command cannot restart what it killed) stops the sending, rather than leave it
        // retrying against a system that will not come back.
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = Sender.SendAsync(stopSending.Token);
        while (!sending.IsCompleted)
        {
            await Task.WhenAny(sending, _faulting ?? sending, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
            if (_faulting is { IsFaulted: true })
            {
                await stopSending.CancelAsync();
                await _faulting; // throws the fault's exception
            }

            Log?.WriteLine($"accepted {Sender.AcceptedCount} of {_plan.Messages} (503: {Sender.Refused}, 429: {Sender.RateLimited}, no answer: {Sender.Failed})");
        }

        await sending;

        if (_faulting is not null)
        {
            await _faulting;
        }

        var drain = Stopwatch.StartNew();
        var accepted = Sender.AcceptedCount;
        await WaitUntilStoredAsync(accepted, cancellationToken);
        var drained = drain.Elapsed;

        var rows = await _stored.RowsByIdAsync(_plan.Source, _plan.StoreTimeout, cancellationToken);
        var lost = Enumerable.Range(0, _plan.Messages).Count(index => Sender.IsAccepted(index) && !rows.ContainsKey(_plan.MessageId(index)));
        var acceptedIds = Enumerable.Range(0, _plan.Messages).Where(Sender.IsAccepted).Select(_plan.MessageId).ToHashSet(StringComparer.Ordinal);
        return new DeliveryReport(
            accepted,
            rows.Values.Sum(),
            lost,
            rows.Values.Sum(count => count - 1),
            rows.Keys.Count(id => !acceptedIds.Contains(id)),
            Sender.Refused,
            Sender.RateLimited,
            Sender.Failed,
            Sender.LongestOutage,
            Sender.Sending,
            drained);
    }

    /// <summary>Polls the stored count until it reaches <paramref name="accepted"/>, or the plan's store timeout passes.</summary>
    private async Task WaitUntilStoredAsync(int accepted, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var lastLog = TimeSpan.Zero;
        long? logged = -1;
        while (waited.Elapsed < _plan.StoreTimeout)
        {
            var stored = await _stored.CountAsync(_plan.Source, cancellationToken);
            if (stored >= accepted)
            {
                return;
            }

            // Every 2 s while the count moves, every 10 s while it stands (a worker waiting out Worker:ClaimMinIdle).
            var interval = stored == logged ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(2);
            if (Log is not null && waited.Elapsed - lastLog >= interval)
            {
                lastLog = waited.Elapsed;
                logged = stored;
                Log.WriteLine(stored is null ? "the dashboard's read API does not answer yet" : $"stored {stored} of {accepted}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        Log?.WriteLine($"gave up waiting after {_plan.StoreTimeout.TotalSeconds:0} s; counting what is stored");
    }
}
