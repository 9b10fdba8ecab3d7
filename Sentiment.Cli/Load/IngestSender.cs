using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sentiment.Cli.Benchmarks;

namespace Sentiment.Cli.Load;

/// <summary>
/// Posts a <see cref="LoadPlan"/>'s batches to <c>POST /api/ingest</c>, each until it is accepted: a 503 or 429 is
/// retried after its Retry-After, a request with no answer (connection refused or reset, timed out) after a short
/// backoff, always with the same ids, so a retry of a request that was published after all stores nothing twice
/// (the results table is keyed by message id). Any other answer stops the run: it is a mistake in the setup (a bad
/// key, a source the key may not post to), not a fault.
/// </summary>
public sealed class IngestSender(HttpClient http, Uri ingest, string ingestKey, LoadPlan plan)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(2);

    private readonly Uri _endpoint = new(ingest, "api/ingest");
    private readonly bool[] _accepted = new bool[plan.Messages];
    private readonly Stopwatch _clock = new();
    private int _nextBatch;
    private int _acceptedCount;
    private int _refused;
    private int _rateLimited;
    private int _failed;
    private long _failingSince = -1;
    private int _acceptedBeforeFirstRefusal = -1;
    private long _longestOutageTicks;
    private long _lastAcceptedTicks;

    /// <summary>Raised after each accepted batch with the number of messages accepted so far (from any sender).</summary>
    public event Action<int>? Accepted;

    public int AcceptedCount => Volatile.Read(ref _acceptedCount);

    public int Refused => Volatile.Read(ref _refused);

    public int RateLimited => Volatile.Read(ref _rateLimited);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Messages accepted when ingest first answered 503; -1 while it has not.</summary>
    public int AcceptedBeforeFirstRefusal => Volatile.Read(ref _acceptedBeforeFirstRefusal);

    public TimeSpan LongestOutage => TimeSpan.FromTicks(Interlocked.Read(ref _longestOutageTicks));

    /// <summary>From the first request to the last accepted one.</summary>
    public TimeSpan Sending => TimeSpan.FromTicks(Interlocked.Read(ref _lastAcceptedTicks));

    public bool IsAccepted(int index) => Volatile.Read(ref _accepted[index]);

    /// <summary>Sends every batch; returns when all are accepted, or throws when one is refused for good.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        await Task.WhenAll(Enumerable.Range(0, plan.Senders).Select(_ => Task.Run(() => SenderAsync(cancellationToken), cancellationToken)));
    }

    private async Task SenderAsync(CancellationToken cancellationToken)
    {
        int batch;
        while ((batch = Interlocked.Increment(ref _nextBatch) - 1) < plan.Batches)
        {
            await WaitForTurnAsync(batch, cancellationToken);
            var first = batch * plan.BatchSize;
            var count = Math.Min(plan.BatchSize, plan.Messages - first);
            var body = Body(first, count, batch);
            var backoff = FirstBackoff;
            while (true)
            {
                var (status, retryAfter) = await PostAsync(body, cancellationToken);
                if (status == HttpStatusCode.Accepted)
                {
                    OnAccepted(first, count);
                    break;
                }

                TimeSpan delay;
                if (status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref status == HttpStatusCode.ServiceUnavailable ? ref _refused : ref _rateLimited);
                    if (status == HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.CompareExchange(ref _acceptedBeforeFirstRefusal, AcceptedCount, -1);
                    }

                    delay = retryAfter ?? FirstBackoff;
                }
                else if (status is null or >= HttpStatusCode.InternalServerError)
                {
                    // No answer, or a 5xx that is not back-pressure (a proxy's 502 while ingest restarts).
                    Interlocked.Increment(ref _failed);
                    delay = backoff;
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastBackoff.Ticks));
                }
                else
                {
                    throw new LoadRefusedException(
                        $"ingest answered {(int)status} {status} to a batch of {count} messages: " + (status switch
                        {
                            HttpStatusCode.Unauthorized => "the ingest key is missing or unknown.",
                            HttpStatusCode.Forbidden => $"the ingest key may not post to source '{plan.Source}'.",
                            _ => "the request was refused; nothing will change by sending it again.",
                        }));
                }

                if (status != HttpStatusCode.TooManyRequests)
                {
                    Interlocked.CompareExchange(ref _failingSince, _clock.Elapsed.Ticks, -1);
                }

                await Task.Delay(delay < plan.MaxRetryDelay ? delay : plan.MaxRetryDelay, cancellationToken);
            }
        }
    }

    private async Task<(HttpStatusCode? Status, TimeSpan? RetryAfter)> PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(plan.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ingestKey);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, null);
        }
    }

    private void OnAccepted(int first, int count)
    {
        for (var index = first; index < first + count; index++)
        {
            Volatile.Write(ref _accepted[index], true);
        }

        var now = _clock.Elapsed.Ticks;
        var since = Interlocked.Exchange(ref _failingSince, -1);
        if (since >= 0)
        {
            InterlockedMax(ref _longestOutageTicks, now - since);
        }

        InterlockedMax(ref _lastAcceptedTicks, now);
        var accepted = Interlocked.Add(ref _acceptedCount, count);
        Accepted?.Invoke(accepted);
    }

    /// <summary>With a rate, batch <paramref name="batch"/> is due when the run has sent the batches before it at that rate.</summary>
    private async Task WaitForTurnAsync(int batch, CancellationToken cancellationToken)
    {
        if (plan.Rate > 0)
        {
            var due = TimeSpan.FromSeconds(batch * plan.BatchSize / plan.Rate) - _clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
        }
    }

    /// <summary>The batch as ingest's JSON array; built once and sent unchanged on every retry.</summary>
    private byte[] Body(int first, int count, int batch)
    {
        var texts = TweetCorpus.Generate(count, seed: batch);
        var timestamp = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var messages = Enumerable.Range(0, count).Select(i => new
        {
            id = plan.MessageId(first + i),
            source = plan.Source,
            text = texts[i],
            timestamp,
        });
        return JsonSerializer.SerializeToUtf8Bytes(messages);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
