using System.Text;
using Sentiment.Contracts.Messaging;
using Sentiment.Ingest.Validation;
using StackExchange.Redis;

namespace Sentiment.Tests.Contracts;

/// <summary>
/// One set of rules for both sides of sentiment:input: whatever ingest accepts, the worker reads back as a message it
/// can store, and what the worker would refuse, ingest refuses first.
/// </summary>
public sealed class FeedbackRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Edge cases of each field, as JSON request bodies.</summary>
    public static TheoryData<string> Bodies => new()
    {
        $$"""{"id":"{{string.Concat(Enumerable.Repeat("😡", 200))}}","source":"twitter","text":"angry"}""", // 200 code points, 400 UTF-16 units
        $$"""{"id":"{{string.Concat(Enumerable.Repeat("😡", 255))}}","source":"twitter","text":"angry"}""",
        $$"""{"id":"{{string.Concat(Enumerable.Repeat("😡", 256))}}","source":"twitter","text":"angry"}""",
        $$"""{"id":"{{new string('i', 255)}}","source":"twitter","text":"x"}""",
        $$"""{"id":"{{new string('i', 256)}}","source":"twitter","text":"x"}""",
        """{"id":"a\u0000b","source":"twitter","text":"x"}""",
        """{"id":"   ","source":"twitter","text":"x"}""",
        $$"""{"source":"{{new string('s', 50)}}","text":"x"}""",
        $$"""{"source":"{{new string('s', 51)}}","text":"x"}""",
        """{"source":"Twitter","text":"x"}""",
        $$"""{"source":"web","text":"{{string.Concat(Enumerable.Repeat("👍", 10_000))}}"}""",
        $$"""{"source":"web","text":"{{string.Concat(Enumerable.Repeat("👍", 10_001))}}"}""",
        """{"source":"web","text":"  padded  "}""",
        """{"source":"web","text":"nul \u0000 inside"}""",
        """{"source":"web","text":"x","metadata":{"n":1e1000000}}""",
        """{"source":"web","text":"x","metadata":{"n":-1e308}}""",
        """{"source":"web","text":"x","metadata":{"n":1e-400}}""",
        """{"source":"web","text":"x","metadata":{"n":123456789012345678901234567890}}""",
        """{"source":"web","text":"x","metadata":{"n":1.5,"list":[1,2,{"deep":true}]}}""",
        """{"source":"web","text":"x","metadata":{"k":"\ud800"}}""",
        """{"source":"web","text":"x","metadata":{"k\u0000":"v"}}""",
        """{"source":"web","text":"x","metadata":""" + new string('[', 31) + new string(']', 31) + "}",
        """{"source":"web","text":"x","metadata":{"a":""" + new string('[', 31) + new string(']', 31) + "}}",
        """{"source":"web","text":"x","metadata":""" + Nested(32) + "}",
        """{"source":"web","text":"x","metadata":""" + Nested(33) + "}",
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void What_ingest_accepts_the_worker_reads_back_unchanged(string body)
    {
        var read = FeedbackRequestReader.Read(Encoding.UTF8.GetBytes(body), maxMessages: 10, Now);
        if (!read.IsValid)
        {
            return; // refused at the door: nothing reaches the stream
        }

        var message = Assert.Single(read.Messages);
        var fields = FeedbackStreamEntry.ToFields(message);

        Assert.True(
            FeedbackStreamEntry.TryParse(new StreamEntry("1-0", fields), out var parsed, out var error),
            $"ingest accepted {Shorten(body)}, the worker refused it: {error}");
        Assert.Equal(message, parsed);
    }

    [Theory]
    [InlineData("{\"n\":1e1000000}", false)]
    [InlineData("{\"n\":1E+309}", false)]
    [InlineData("{\"n\":1e-400}", false)]
    [InlineData("{\"n\":1e308}", true)]
    [InlineData("{\"n\":-0.0001}", true)]
    [InlineData("{\"n\":123456789012345678901234567890}", true)]
    public void Metadata_numbers_are_those_jsonb_stores(string metadata, bool storable)
    {
        using var document = System.Text.Json.JsonDocument.Parse(metadata);

        Assert.Equal(storable, FeedbackRules.MetadataError(document.RootElement) is null);
    }

    [Fact]
    public void Lengths_are_code_points_on_both_sides()
    {
        var id = string.Concat(Enumerable.Repeat("😡", 200));

        Assert.Equal(200, FeedbackRules.CountCharacters(id));
        Assert.Null(FeedbackRules.IdError(id));
        Assert.True(FeedbackStreamEntry.TryParse(
            new StreamEntry("1-0", FeedbackStreamEntry.ToFields(new FeedbackMessage(id, Now, "web", "x", null, Now))), out _, out var error), error);
    }

    [Fact]
    public void Stream_entry_refused_by_a_rule_names_the_field()
    {
        var fields = FeedbackStreamEntry.ToFields(new FeedbackMessage("m-1", Now, "web", "x", """{"n":1e1000000}""", Now));

        Assert.False(FeedbackStreamEntry.TryParse(new StreamEntry("1-0", fields), out _, out var error));
        Assert.StartsWith("Field 'metadata': The metadata's numbers must be finite", error, StringComparison.Ordinal);
    }

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);

    private static string Shorten(string body) => body.Length <= 120 ? body : body[..120] + "…";
}
