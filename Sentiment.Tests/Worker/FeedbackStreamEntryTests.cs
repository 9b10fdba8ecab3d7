using Sentiment.Contracts.Messaging;
using StackExchange.Redis;

namespace Sentiment.Tests.Worker;

public sealed class FeedbackStreamEntryTests
{
    private static readonly DateTimeOffset Written = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Ingested = new(2024, 1, 15, 10, 30, 1, 250, TimeSpan.Zero);

    [Fact]
    public void Message_survives_the_round_trip_through_stream_fields()
    {
        var message = new FeedbackMessage("m-1", Written, "twitter", "Great 👍", """{"user_id":"u1"}""", Ingested)
        {
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            TraceState = "congo=t61rcWkgMzE",
        };

        var parsed = Parse(FeedbackStreamEntry.ToFields(message));

        Assert.Equal(message, parsed);
    }

    [Fact]
    public void Fields_are_the_design_names_with_times_in_utc_round_trip_form()
    {
        var fields = FeedbackStreamEntry.ToFields(new FeedbackMessage("m-1", Written.ToOffset(TimeSpan.FromHours(2)), "web", "ok", null, Ingested));

        Assert.Equal(
            [("id", "m-1"), ("timestamp", "2024-01-15T10:30:00.0000000Z"), ("source", "web"), ("text", "ok"), ("ingested_at", "2024-01-15T10:30:01.2500000Z")],
            fields.Select(field => ((string)field.Name!, (string)field.Value!)));
    }

    [Fact]
    public void Fields_a_later_producer_adds_are_ignored()
    {
        var fields = FeedbackStreamEntry.ToFields(new FeedbackMessage("m-1", Written, "web", "ok", null, Ingested));

        var parsed = Parse([.. fields, new NameValueEntry("language", "en")]);

        Assert.Equal("m-1", parsed.Id);
    }

    [Theory]
    [InlineData("id", null, "Field 'id' must hold 1 to 255 characters.")]
    [InlineData("id", "", "Field 'id' must hold 1 to 255 characters.")]
    [InlineData("timestamp", null, "Field 'timestamp' is missing or not an ISO-8601 time.")]
    [InlineData("timestamp", "15/01/2024", "Field 'timestamp' is missing or not an ISO-8601 time.")]
    [InlineData("source", null, "Field 'source' must hold 1 to 50 characters.")]
    [InlineData("text", null, "Field 'text' is missing or empty.")]
    [InlineData("text", "  ", "Field 'text' is missing or empty.")]
    [InlineData("metadata", "[1]", "Field 'metadata' is not a JSON object.")]
    [InlineData("metadata", "{\"a\":", "Field 'metadata' is not a JSON object.")]
    [InlineData("ingested_at", null, "Field 'ingested_at' is missing or not an ISO-8601 time.")]
    [InlineData("ingested_at", "now", "Field 'ingested_at' is missing or not an ISO-8601 time.")]
    public void Malformed_entry_is_refused_with_an_error_naming_the_field(string field, string? value, string expectedError)
    {
        var fields = FeedbackStreamEntry.ToFields(new FeedbackMessage("m-1", Written, "web", "ok", "{}", Ingested))
            .Where(entry => entry.Name != field)
            .ToList();
        if (value is not null)
        {
            fields.Add(new NameValueEntry(field, value));
        }

        var parsed = FeedbackStreamEntry.TryParse(new StreamEntry("1-0", [.. fields]), out var message, out var error);

        Assert.False(parsed);
        Assert.Null(message);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void Id_and_source_longer_than_their_columns_are_refused()
    {
        var longId = FeedbackStreamEntry.ToFields(new FeedbackMessage(new string('i', 256), Written, "web", "ok", null, Ingested));
        var longSource = FeedbackStreamEntry.ToFields(new FeedbackMessage("m-1", Written, new string('s', 51), "ok", null, Ingested));

        Assert.False(FeedbackStreamEntry.TryParse(new StreamEntry("1-0", longId), out _, out var idError));
        Assert.False(FeedbackStreamEntry.TryParse(new StreamEntry("1-0", longSource), out _, out var sourceError));
        Assert.Equal("Field 'id' must hold 1 to 255 characters.", idError);
        Assert.Equal("Field 'source' must hold 1 to 50 characters.", sourceError);
    }

    [Theory]
    [InlineData("2024-01-15T10:30:00Z", "2024-01-15T10:30:00.0000000Z")]
    [InlineData("2024-01-15T12:30:00+02:00", "2024-01-15T10:30:00.0000000Z")]
    [InlineData("2024-01-15T10:30:00.1234567Z", "2024-01-15T10:30:00.1234567Z")]
    [InlineData("2024-01-15T10:30:00", "2024-01-15T10:30:00.0000000Z")]
    [InlineData("2024-01-15T10:30Z", "2024-01-15T10:30:00.0000000Z")]
    [InlineData("2024-01-15", "2024-01-15T00:00:00.0000000Z")]
    public void Iso_8601_times_are_read_as_utc(string text, string expected)
    {
        Assert.True(Iso8601.TryParse(text, out var time));
        Assert.Equal(expected, Iso8601.Format(time));
    }

    [Theory]
    [InlineData("01/15/2024")]
    [InlineData("15 January 2024")]
    [InlineData("2024-1-5")]
    [InlineData("2024-01-15 10:30:00")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void Times_that_are_not_iso_8601_are_refused(string? text)
    {
        Assert.False(Iso8601.TryParse(text, out _));
    }

    private static FeedbackMessage Parse(NameValueEntry[] fields)
    {
        Assert.True(FeedbackStreamEntry.TryParse(new StreamEntry("1-0", fields), out var message, out var error), error);
        return message;
    }
}
