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
    [InlineData("id", null, "Field 'id': missing.")]
    [InlineData("id", "", "Field 'id': The id must hold 1 to 255 characters and not be blank; it has 0.")]
    [InlineData("timestamp", null, "Field 'timestamp' is missing or not an ISO-8601 time.")]
    [InlineData("timestamp", "15/01/2024", "Field 'timestamp' is missing or not an ISO-8601 time.")]
    [InlineData("source", null, "Field 'source': missing.")]
    [InlineData("source", "Web", "Field 'source': The source may hold only lower-case letters a-z, digits, '_' and '-'.")]
    [InlineData("text", null, "Field 'text': missing.")]
    [InlineData("text", "  ", "Field 'text': The text must hold 1 to 10000 characters after trimming; it has 0.")]
    [InlineData("metadata", "[1]", "Field 'metadata': The metadata must be a JSON object.")]
    [InlineData("metadata", "{\"a\":", "Field 'metadata': The metadata is not JSON, or nested too deep.")]
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
        Assert.Equal("Field 'id': The id must hold 1 to 255 characters and not be blank; it has 256.", idError);
        Assert.Equal("Field 'source': The source must be at most 50 characters; it has 51.", sourceError);
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
