using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Sentiment.Contracts.Alerts;
using Sentiment.Storage;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Support;

namespace Sentiment.Tests.Notifications;

/// <summary>Each channel against a local server that speaks its protocol, checking exactly what arrives.</summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ChannelPayloadTests(InfrastructureFixture infrastructure)
{
    private static readonly Alert Alert = TestAlerts.NegativeSpike();

    [Fact]
    public async Task Slack_receives_the_incoming_webhook_json_with_text_and_blocks()
    {
        await using var slack = await RecordingHttpServer.StartAsync();
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Slack:WebhookUrl"] = new Uri(slack.BaseAddress, "/services/T000/B000/secretpart").ToString(),
        });

        await rig.RaiseAsync(Alert);
        var attempts = await rig.WaitForAttemptsAsync(a => a.Count >= 1, "the Slack attempt recorded");

        Assert.Equal([new RecordedAttempt(Alert.Id, "slack", 1, NotificationOutcomes.Delivered, null)], attempts);
        var request = Assert.Single(slack.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/services/T000/B000/secretpart", request.PathAndQuery);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(
            $$$"""{"text":"[critical] Negative volume spike: 101 negative messages in the last 60 minutes (threshold: more than 100).","blocks":[{"type":"header","text":{"type":"plain_text","text":"[critical] Negative volume spike"}},{"type":"section","text":{"type":"mrkdwn","text":"101 negative messages in the last 60 minutes (threshold: more than 100).\n>Parcel sat in Memphis for six days &amp; nobody &lt;answers&gt;.\n*Source:* twitter  *Score:* -0.812"}},{"type":"context","elements":[{"type":"mrkdwn","text":"<http://127.0.0.1:5081/messages/n-100|Open message n-100 in the dashboard>  alert {{{Alert.Id}}}"}]}]}""",
            request.BodyText);
    }

    [Fact]
    public async Task Webhook_receives_the_alert_json_signed_with_hmac_sha256_of_the_raw_body()
    {
        const string Secret = "webhook-test-secret";
        await using var receiver = await RecordingHttpServer.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 10, 5, 0, TimeSpan.Zero));
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Webhook:Url"] = new Uri(receiver.BaseAddress, "/hooks/sentiment").ToString(),
            ["Notifications:Webhook:Secret"] = Secret,
        }, time);

        await rig.RaiseAsync(Alert);
        var attempts = await rig.WaitForAttemptsAsync(a => a.Count >= 1, "the webhook attempt recorded");

        Assert.Equal([new RecordedAttempt(Alert.Id, "webhook", 1, NotificationOutcomes.Delivered, null)], attempts);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/sentiment", request.PathAndQuery);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal(
            $$"""{"id":"{{Alert.Id}}","type":"negative_spike","severity":"critical","ruleKey":"all","messageIds":["n-100"],"score":-0.8124,"snippet":"Parcel sat in Memphis for six days & nobody <answers>.","source":"twitter","link":"http://127.0.0.1:5081/messages/n-100","reason":"101 negative messages in the last 60 minutes (threshold: more than 100).","createdAt":"2026-01-15T10:00:00+00:00","status":"active"}""",
            request.BodyText);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body));
        Assert.Equal(expected, request.Headers["X-Sentiment-Signature"]);
        Assert.Equal("1768471500", request.Headers["X-Sentiment-Timestamp"]);
        Assert.Equal(Alert.Id.ToString(), request.Headers["X-Sentiment-Alert-Id"]);
    }

    [Fact]
    public async Task Twilio_receives_the_messages_form_with_basic_auth_of_the_account()
    {
        await using var twilio = await RecordingHttpServer.StartAsync();
        twilio.DefaultStatus = 201; // What Twilio answers for a queued message.
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Sms:BaseUrl"] = twilio.BaseAddress.ToString(),
            ["Notifications:Sms:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Notifications:Sms:AuthToken"] = "twilio-test-token",
            ["Notifications:Sms:From"] = "+15005550006",
            ["Notifications:Sms:To"] = "+15005550009",
        });

        await rig.RaiseAsync(Alert);
        var attempts = await rig.WaitForAttemptsAsync(a => a.Count >= 1, "the SMS attempt recorded");

        Assert.Equal([new RecordedAttempt(Alert.Id, "sms", 1, NotificationOutcomes.Delivered, null)], attempts);
        var request = Assert.Single(twilio.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json", request.PathAndQuery);
        Assert.Equal("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        Assert.Equal(
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC0123456789abcdef0123456789abcdef:twilio-test-token")),
            request.Headers["Authorization"]);
        var form = QueryHelpers.ParseQuery(request.BodyText).ToDictionary(field => field.Key, field => field.Value.ToString());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["To"] = "+15005550009",
                ["From"] = "+15005550006",
                ["Body"] = "Sentiment [critical] Negative volume spike: 101 negative messages in the last 60 minutes (threshold: more than 100). http://127.0.0.1:5081/messages/n-100",
            },
            form);
        Assert.StartsWith("To=%2B15005550009&From=%2B15005550006&Body=Sentiment+%5Bcritical%5D+Negative+volume+spike", request.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_arrives_over_smtp_with_the_envelope_headers_and_text()
    {
        await using var smtp = new TestSmtpServer();
        await using var rig = await NotificationRig.StartAsync(infrastructure, new()
        {
            ["Notifications:Email:Host"] = "127.0.0.1",
            ["Notifications:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Email:Security"] = "None",
            ["Notifications:Email:From"] = "alerts@sentiment.test",
            ["Notifications:Email:To:0"] = "oncall@sentiment.test",
            ["Notifications:Email:To:1"] = "support-lead@sentiment.test",
        });

        await rig.RaiseAsync(Alert);
        var attempts = await rig.WaitForAttemptsAsync(a => a.Count >= 1, "the email attempt recorded");

        Assert.Equal([new RecordedAttempt(Alert.Id, "email", 1, NotificationOutcomes.Delivered, null)], attempts);
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal("MAIL FROM:<alerts@sentiment.test>", mail.MailFrom);
        Assert.Equal(["RCPT TO:<oncall@sentiment.test>", "RCPT TO:<support-lead@sentiment.test>"], mail.RcptTo);
        using var message = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data)));
        Assert.Equal("[Sentiment] [critical] Negative volume spike", message.Subject);
        Assert.Equal("alerts@sentiment.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(["oncall@sentiment.test", "support-lead@sentiment.test"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(Alert.Id.ToString(), message.Headers["X-Sentiment-Alert-Id"]);
        Assert.Equal("text/plain", message.Body!.ContentType.MimeType);
        Assert.Equal(
            $"""
            101 negative messages in the last 60 minutes (threshold: more than 100).

            Source:   twitter
            Score:    -0.812
            Messages: n-100
            Raised:   2026-01-15 10:00:00 UTC

            "Parcel sat in Memphis for six days & nobody <answers>."

            Open in the dashboard: http://127.0.0.1:5081/messages/n-100
            Alert {Alert.Id}
            """,
            message.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
    }
}
