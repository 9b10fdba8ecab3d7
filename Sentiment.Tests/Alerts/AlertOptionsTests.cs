using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sentiment.Notifier.Delivery;
using Sentiment.Tests.Notifications;
using Sentiment.Tests.Worker.Support;
using Sentiment.Worker.Alerts;

namespace Sentiment.Tests.Alerts;

/// <summary>Alert and notification settings are checked when the worker or the notifier starts, naming the bad setting.</summary>
[Trait("Category", "Integration")]
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
    [InlineData("Alerts:OutboxInterval", "00:00:00", "OutboxInterval")]
    public async Task Worker_refuses_to_start_with_a_bad_setting_and_names_it(string key, string value, string expected)
    {
        await using var worker = new WorkerApplication(Redis, Database).WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var exception = Assert.Throws<OptionsValidationException>(() => worker.Services);

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Notifications:Webhook:Url", "http://127.0.0.1:9/hooks", "Notifications:Webhook:Secret is required")]
    [InlineData("Notifications:Sms:AccountSid", "AC1", "Notifications:Sms:AuthToken is required")]
    [InlineData("Notifications:Email:Host", "127.0.0.1", "Notifications:Email:From is required")]
    [InlineData("Notifier:ClaimInterval", "00:05:00", "Notifier:ClaimInterval must be below Notifier:ClaimMinIdle")]
    [InlineData("Notifier:RetryMaxDelay", "00:00:00.010", "Notifier:RetryMaxDelay must be at least Notifier:RetryBaseDelay")]
    [InlineData("Notifier:MaxInFlight", "0", "MaxInFlight")]
    public async Task Notifier_refuses_to_start_with_a_bad_setting_and_names_it(string key, string value, string expected)
    {
        await using var notifier = new NotifierApplication(Redis, Database).WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var exception = Assert.Throws<OptionsValidationException>(() => notifier.Services);

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
    public async Task Notifier_joins_its_group_under_its_configured_consumer_name()
    {
        await using var notifier = new NotifierApplication(Redis, Database);

        var consumer = notifier.Server.Services.GetRequiredService<AlertConsumer>();

        Assert.Equal(notifier.ConsumerName, consumer.ConsumerName);
    }
}
