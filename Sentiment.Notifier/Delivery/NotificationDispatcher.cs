using Microsoft.Extensions.Options;
using Sentiment.Notifier.Channels;
using Sentiment.Notifier.Telemetry;

namespace Sentiment.Notifier.Delivery;

/// <summary>
/// Delivers the alerts on <c>sentiment:alerts</c> on every configured channel, reading them through the notifiers'
/// consumer group, so alerts spread across replicas and survive restarts: an entry is acknowledged only once every
/// channel has delivered its alert or given up, and one left pending by a stopped notifier is taken over (XAUTOCLAIM)
/// or, under the same consumer name, resumed at start. The <see cref="AlertReader"/> reads and keeps the alerts in
/// hand; one <see cref="ChannelSender"/> per configured channel delivers them.
/// </summary>
public sealed class NotificationDispatcher : BackgroundService
{
    private readonly AlertConsumer _consumer;
    private readonly List<ChannelSender> _senders;
    private readonly AlertReader _reader;

    public NotificationDispatcher(
        IEnumerable<INotificationChannel> channels,
        AlertConsumer consumer,
        NotificationAttemptWriter records,
        IOptions<NotificationOptions> options,
        IOptions<NotifierOptions> notifierOptions,
        TimeProvider time,
        NotifierTelemetry telemetry,
        ILoggerFactory loggers)
    {
        _consumer = consumer;
        _senders = [.. channels
            .Where(channel => channel.IsConfigured)
            .Select(channel => new ChannelSender(
                channel, notifierOptions.Value.MaxInFlight, records, options.Value, notifierOptions.Value, telemetry, time,
                loggers.CreateLogger<ChannelSender>()))];
        _reader = new AlertReader(consumer, _senders, notifierOptions.Value, loggers.CreateLogger<AlertReader>());
    }

    /// <summary>The channels alerts go to.</summary>
    public IReadOnlyList<string> ChannelNames => [.. _senders.Select(sender => sender.ChannelName)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var senders = _senders
            .Select(sender => Task.Run(() => sender.RunAsync(_reader.FinishEntryAsync, stoppingToken), CancellationToken.None))
            .ToList();
        var keeper = Task.Run(() => _reader.KeepInFlightAsync(stoppingToken), CancellationToken.None);
        var joined = await _reader.ReadAsync(stoppingToken);
        await Task.WhenAll([.. senders, keeper]);
        if (joined)
        {
            // The senders have finished or let go of what they held: with no alert pending, the name is no longer
            // needed; one still holding alerts keeps it, so they stay its own to resume.
            await _consumer.LeaveGroupOnStopAsync();
        }
    }
}
