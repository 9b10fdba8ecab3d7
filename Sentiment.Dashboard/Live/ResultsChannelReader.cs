using System.Text.Json;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Telemetry;
using StackExchange.Redis;

namespace Sentiment.Dashboard.Live;

/// <summary>
/// Follows the pub/sub channels <c>sentiment:results</c> (what workers stored) and <c>sentiment:alert-acks</c>
/// (alerts acknowledged on any instance) into <see cref="LiveUpdates"/>. StackExchange.Redis re-subscribes by
/// itself after a reconnect; what was published meanwhile is not replayed, and the views, which re-query
/// PostgreSQL on each batch, catch up with the next one.
/// </summary>
public sealed class ResultsChannelReader(
    IConnectionMultiplexer redis,
    LiveUpdates live,
    LiveFeedHealth health,
    DashboardTelemetry telemetry,
    ILogger<ResultsChannelReader> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        var results = await SubscribeAsync(subscriber, StreamNames.Results, stoppingToken);
        results.OnMessage(message => OnResults(message.Message));
        var acknowledgements = await SubscribeAsync(subscriber, StreamNames.AlertAcknowledgements, stoppingToken);
        acknowledgements.OnMessage(message => OnAcknowledgement(message.Message));
        health.ChannelsSubscribed();
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            await results.UnsubscribeAsync();
            await acknowledgements.UnsubscribeAsync();
        }
    }

    /// <summary>Subscribes, retrying while Redis is unreachable (the dashboard starts without it and catches up).</summary>
    private async Task<ChannelMessageQueue> SubscribeAsync(ISubscriber subscriber, string channel, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await subscriber.SubscribeAsync(RedisChannel.Literal(channel));
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                telemetry.RecordFeedFailure(channel);
                logger.LogWarning("Cannot subscribe to {Channel} yet ({Error}); retrying", channel, exception.Message);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    private void OnResults(RedisValue message)
    {
        try
        {
            live.AddResults(ResultSummaryBatch.Parse(message!));
        }
        catch (JsonException exception)
        {
            telemetry.RecordFeedFailure(StreamNames.Results);
            logger.LogWarning("Skipped a message on {Channel} that is not a batch of results: {Error}", StreamNames.Results, exception.Message);
        }
    }

    private void OnAcknowledgement(RedisValue message)
    {
        try
        {
            live.AddAcknowledgement(AlertAcknowledgementMessage.Parse(message!));
        }
        catch (JsonException exception)
        {
            telemetry.RecordFeedFailure(StreamNames.AlertAcknowledgements);
            logger.LogWarning("Skipped a message on {Channel} that is not an acknowledgement: {Error}", StreamNames.AlertAcknowledgements, exception.Message);
        }
    }
}

/// <summary>The body of a message on <c>sentiment:alert-acks</c>: an <see cref="AlertAcknowledgement"/> as camelCase JSON.</summary>
public static class AlertAcknowledgementMessage
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static string Serialize(AlertAcknowledgement acknowledgement) => JsonSerializer.Serialize(acknowledgement, s_json);

    public static AlertAcknowledgement Parse(string json) =>
        JsonSerializer.Deserialize<AlertAcknowledgement>(json, s_json)
        ?? throw new JsonException($"A message on {StreamNames.AlertAcknowledgements} holds no acknowledgement.");
}
