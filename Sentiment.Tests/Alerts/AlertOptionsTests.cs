using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker.Alerts;
using Sentiment.Worker.Notifications;

namespace Sentiment.Tests.Alerts;

/// <summary>Alert and notification settings are checked when the worker starts, naming the bad setting.</summary>
public sealed class AlertOptionsTests
{
    // Never reached: validation fails before anything connects.
    private const string Redis = "127.0.0.1:1,abortConnect=false";
    private const string Database = "Host=127.0.0.1;Port=1;Database=none";

    [Theory]
    [InlineData("Alerts:SpikeThreshold", "0", "SpikeThreshold")]
    [InlineData("Alerts:VeryNegativeScore", "-1.5", "VeryNegativeScore")]
    [InlineData("Alerts:Cooldown", "00:00:00", "Cooldown")]
    [InlineData("Alerts:DashboardBaseUrl", "not a url", "DashboardBaseUrl")]
    [InlineData("Notifications:Webhook:Url", "http://127.0.0.1:9/hooks", "Notifications:Webhook:Secret is required")]
    [InlineData("Notifications:Sms:AccountSid", "AC1", "Notifications:Sms:AuthToken is required")]
    [InlineData("Notifications:Email:Host", "127.0.0.1", "Notifications:Email:From is required")]
    [InlineData("Notifications:ClaimInterval", "00:05:00", "Notifications:ClaimInterval must be below Notifications:ClaimMinIdle")]
    [InlineData("Alerts:OutboxInterval", "00:00:00", "OutboxInterval")]
    public async Task Worker_refuses_to_start_with_a_bad_setting_and_names_it(string key, string value, string expected)
    {
        await using var worker = new WorkerApplication(Redis, Database).WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var exception = Assert.Throws<OptionsValidationException>(() => worker.Services);

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_link_defaults_to_the_dashboard_address_the_apphost_hands_out()
    {
        await using var worker = new WorkerApplication(Redis, Database)
            .WithWebHostBuilder(builder => builder.UseSetting("services:dashboard:http:0", "http://127.0.0.1:6123"));

        var options = worker.Server.Services.GetRequiredService<IOptions<AlertOptions>>().Value;

        Assert.Equal("http://127.0.0.1:6123", options.DashboardBaseUrl);
    }

    [Fact]
    public async Task Notifier_joins_its_group_under_the_workers_consumer_name()
    {
        await using var worker = new WorkerApplication(Redis, Database);

        var consumer = worker.Server.Services.GetRequiredService<NotificationConsumer>();

        Assert.Equal(worker.ConsumerName, consumer.ConsumerName);
    }
}
