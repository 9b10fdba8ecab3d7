using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sentiment.Core.Alerts;
using Sentiment.Core.Storage;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Notifications;

namespace Sentiment.Tests.Notifications;

/// <summary>The worker's notification services on their own, with a fresh results database for the attempts.</summary>
public sealed class NotificationRig : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;
    private readonly NpgsqlDataSource _dataSource;

    private NotificationRig(IHost host, NpgsqlDataSource dataSource)
    {
        _host = host;
        _dataSource = dataSource;
    }

    public NotificationDispatcher Dispatcher => _host.Services.GetRequiredService<NotificationDispatcher>();

    public static async Task<NotificationRig> StartAsync(InfrastructureFixture infrastructure, Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        await using (var context = new SentimentDbContext(new DbContextOptionsBuilder<SentimentDbContext>().UseNpgsql(connectionString).Options))
        {
            await context.Database.MigrateAsync();
        }

        var dataSource = NpgsqlDataSource.Create(connectionString);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(dataSource);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddNotifications();
        var host = builder.Build();
        await host.StartAsync();
        return new NotificationRig(host, dataSource);
    }

    /// <summary>Stores the alert (attempts refer to it) and hands it to the channels, as the worker does.</summary>
    public async Task RaiseAsync(Alert alert)
    {
        await new AlertWriter(_dataSource).InsertAsync([alert], CancellationToken.None);
        Dispatcher.Enqueue(alert);
    }

    public async Task<List<RecordedAttempt>> AttemptsAsync()
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT alert_id, channel, attempt, outcome, error FROM notification_attempts ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var attempts = new List<RecordedAttempt>();
        while (await reader.ReadAsync())
        {
            attempts.Add(new RecordedAttempt(
                reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return attempts;
    }

    public Task<List<RecordedAttempt>> WaitForAttemptsAsync(Func<List<RecordedAttempt>, bool> isDone, string awaited) =>
        Eventually.WaitForAsync(AttemptsAsync, isDone, Timeout, awaited);

    public static Alert SpikeAlert(string triggerId = "n-100") => new()
    {
        Id = AlertEvaluator.AlertId(AlertTypes.NegativeSpike, "all", triggerId),
        Type = AlertTypes.NegativeSpike,
        Severity = AlertSeverities.Critical,
        RuleKey = "all",
        MessageIds = [triggerId],
        Score = -0.8124,
        Snippet = "Parcel sat in Memphis for six days & nobody <answers>.",
        Source = "twitter",
        Link = $"http://127.0.0.1:5081/messages/{triggerId}",
        Reason = "101 negative messages in the last 60 minutes (threshold: more than 100).",
        CreatedAt = new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero),
        Status = AlertStatuses.Active,
    };

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _dataSource.DisposeAsync();
    }
}

public sealed record RecordedAttempt(Guid AlertId, string Channel, int Attempt, string Outcome, string? Error);
