using Sentiment.Contracts.Messaging;

namespace Sentiment.Tests.Contracts;

/// <summary>The backlog from what XINFO reports: the ids decide where they can, Redis's lag counter only in between.</summary>
public sealed class StreamBacklogTests
{
    [Fact]
    public void Group_handed_the_last_entry_has_nothing_undelivered_whatever_the_lag_says()
    {
        var backlog = StreamBacklog.FromInfo(
            length: 310_000, firstId: "1-0", lastId: "9-0", lastGeneratedId: "9-0", hasGroup: true, lastDeliveredId: "9-0", pending: 3, reportedLag: 26_312);

        Assert.Equal(0, backlog.Undelivered);
        Assert.Equal(3, backlog.Unacknowledged);
        Assert.True(backlog.ReadCounterIsOff);
    }

    [Fact]
    public void Group_behind_the_first_entry_has_the_whole_stream_undelivered()
    {
        var backlog = StreamBacklog.FromInfo(
            length: 40, firstId: "5-0", lastId: "9-0", lastGeneratedId: "9-0", hasGroup: true, lastDeliveredId: "4-7", pending: 0, reportedLag: null);

        Assert.Equal(40, backlog.Undelivered);
        Assert.False(backlog.ReadCounterIsOff);
    }

    [Fact]
    public void In_between_the_lag_counts_kept_within_what_the_stream_can_hold()
    {
        StreamBacklog Reading(long? lag) => StreamBacklog.FromInfo(
            length: 100, firstId: "1-0", lastId: "9-0", lastGeneratedId: "9-0", hasGroup: true, lastDeliveredId: "5-0", pending: 2, reportedLag: lag);

        Assert.Equal(37, Reading(37).Undelivered);
        Assert.Equal(39, Reading(37).Unacknowledged);
        Assert.Equal(99, Reading(26_312).Undelivered); // the first entry is delivered, so at most the rest
        Assert.Equal(1, Reading(0).Undelivered);       // the last entry is not delivered, so at least one
        Assert.Null(Reading(null).Undelivered);        // Redis cannot tell
        Assert.Null(Reading(null).Unacknowledged);
    }

    [Fact]
    public void Without_a_group_every_entry_waits_and_without_a_stream_nothing()
    {
        var noGroup = StreamBacklog.FromInfo(
            length: 12, firstId: "1-0", lastId: "9-0", lastGeneratedId: "9-0", hasGroup: false, lastDeliveredId: "", pending: 0, reportedLag: null);

        Assert.Equal((12L, 12L), (noGroup.Undelivered, noGroup.Unacknowledged));
        Assert.Equal(0, StreamBacklog.Empty.Unacknowledged);
    }

    [Fact]
    public void Empty_stream_with_a_group_has_nothing_undelivered()
    {
        var backlog = StreamBacklog.FromInfo(
            length: 0, firstId: "", lastId: "", lastGeneratedId: "0-0", hasGroup: true, lastDeliveredId: "0-0", pending: 0, reportedLag: 0);

        Assert.Equal(0, backlog.Unacknowledged);
        Assert.False(backlog.ReadCounterIsOff);
    }

    [Theory]
    [InlineData("1-0", "1-1", -1)]
    [InlineData("2-0", "1-99", 1)]
    [InlineData("1718000000000", "1718000000000-0", 0)]
    public void Entry_ids_order_by_milliseconds_then_sequence(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(StreamEntryId.Parse(a).CompareTo(StreamEntryId.Parse(b))));
    }
}
