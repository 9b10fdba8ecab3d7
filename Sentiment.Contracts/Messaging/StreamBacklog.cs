using StackExchange.Redis;

namespace Sentiment.Contracts.Messaging;

/// <summary>
/// What a consumer group has still to do on a stream: the entries never delivered to it and those delivered but not
/// acknowledged. Ingest refuses new messages above a bound of it, the worker reports it as metrics and the dashboard
/// shows it, all from this one reading.
/// </summary>
/// <param name="Length">Entries in the stream (XLEN), acknowledged ones kept for the retention included.</param>
/// <param name="HasGroup">Whether the group exists; before the first worker has created it, every entry is waiting.</param>
/// <param name="Undelivered">Entries never delivered to the group; null when Redis cannot tell (see <see cref="FromInfo"/>).</param>
/// <param name="Pending">Entries delivered and not yet acknowledged (the group's pending list, which is exact).</param>
/// <param name="ReadCounterIsOff">
/// The group has been handed the stream's last entry, yet Redis's lag says otherwise: its count of entries read no
/// longer matches its count of entries added (seen after a restart), and <see cref="RepairReadCounterAsync"/> can set it right.
/// </param>
public sealed record StreamBacklog(long Length, bool HasGroup, long? Undelivered, long Pending, bool ReadCounterIsOff = false)
{
    /// <summary>No stream yet: nothing waits.</summary>
    public static StreamBacklog Empty { get; } = new(0, false, 0, 0);

    /// <summary>Entries the group has not acknowledged: undelivered plus pending; null when the undelivered count is unknown.</summary>
    public long? Unacknowledged => Undelivered + Pending;

    // One round trip, and one consistent moment: the stream's and the group's ids are compared, so they must be read
    // together. no-writes lets it run while Redis is out of memory (noeviction refuses scripts that may write), which
    // is when ingest needs it most.
    private const string ReadScript = """
        #!lua flags=no-writes
        if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
        local function fields(reply)
          local map = {}
          for i = 1, #reply, 2 do map[reply[i]] = reply[i + 1] end
          return map
        end
        local stream = fields(redis.call('XINFO', 'STREAM', KEYS[1]))
        local first = stream['first-entry'] and stream['first-entry'][1] or ''
        local last = stream['last-entry'] and stream['last-entry'][1] or ''
        for _, reply in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
          local group = fields(reply)
          if group['name'] == ARGV[1] then
            return {1, stream['length'], first, last, stream['last-generated-id'], 1, group['last-delivered-id'], group['pending'], group['lag'] or -1}
          end
        end
        return {1, stream['length'], first, last, stream['last-generated-id'], 0, '', 0, -1}
        """;

    // Only when the group was handed the last id ever generated is the right count of entries read certain: all of
    // them, which is entries-added (Redis's own estimate for that id). Checked and set in one script, so no read or
    // append can come between.
    private const string RepairScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        local function fields(reply)
          local map = {}
          for i = 1, #reply, 2 do map[reply[i]] = reply[i + 1] end
          return map
        end
        local stream = fields(redis.call('XINFO', 'STREAM', KEYS[1]))
        for _, reply in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
          local group = fields(reply)
          if group['name'] == ARGV[1] then
            if group['last-delivered-id'] ~= stream['last-generated-id'] or group['lag'] == 0 then return 0 end
            redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], group['last-delivered-id'], 'ENTRIESREAD', stream['entries-added'])
            return 1
          end
        end
        return 0
        """;

    /// <summary>Reads the backlog of <paramref name="group"/> on <paramref name="stream"/>: one small script, O(1) in the stream's size.</summary>
    public static async Task<StreamBacklog> ReadAsync(IDatabase database, RedisKey stream, string group)
    {
        var reply = (RedisResult[])(await database.ScriptEvaluateAsync(ReadScript, [stream], [group]))!;
        if ((long)reply[0] == 0)
        {
            return Empty;
        }

        var lag = (long)reply[8];
        return FromInfo(
            length: (long)reply[1],
            firstId: (string)reply[2]!,
            lastId: (string)reply[3]!,
            lastGeneratedId: (string)reply[4]!,
            hasGroup: (long)reply[5] == 1,
            lastDeliveredId: (string)reply[6]!,
            pending: (long)reply[7],
            reportedLag: lag >= 0 ? lag : null);
    }

    /// <summary>
    /// Sets Redis's count of entries read by <paramref name="group"/> right, if the group was handed the stream's last
    /// entry and Redis's lag still is not 0 (<see cref="ReadCounterIsOff"/>); from then on XINFO GROUPS's lag counts
    /// again. Changes nothing else: the group's position and pending list stay as they are.
    /// </summary>
    /// <returns>Whether the count was set.</returns>
    public static async Task<bool> RepairReadCounterAsync(IDatabase database, RedisKey stream, string group) =>
        (long)(await database.ScriptEvaluateAsync(RepairScript, [stream], [group])) == 1;

    /// <summary>
    /// The backlog from what XINFO says, trusting the ids (exact) before Redis's lag counter (entries added minus entries
    /// read, which was seen to report 26,312 after a restart while nothing was waiting). Undelivered is 0 when the group
    /// has been handed the stream's last entry; the whole stream when the group has not been handed even its first;
    /// otherwise Redis's lag, kept between 1 and the stream's length less the first entry (both known to be delivered
    /// or not); and unknown when Redis reports no lag (it cannot tell after entries were deleted from the middle).
    /// </summary>
    /// <param name="firstId">The stream's first entry's id; empty when the stream is empty.</param>
    /// <param name="lastId">The stream's last entry's id; empty when the stream is empty.</param>
    /// <param name="reportedLag">XINFO GROUPS <c>lag</c>; null when Redis reported none.</param>
    public static StreamBacklog FromInfo(
        long length, string firstId, string lastId, string lastGeneratedId, bool hasGroup, string lastDeliveredId, long pending, long? reportedLag)
    {
        if (!hasGroup)
        {
            // The workers create the group at the stream's beginning, so they will read every entry there is.
            return new StreamBacklog(length, false, length, 0);
        }

        var delivered = StreamEntryId.Parse(lastDeliveredId);
        var counterIsOff = delivered == StreamEntryId.Parse(lastGeneratedId) && reportedLag != 0;
        long? undelivered;
        if (lastId.Length == 0 || delivered >= StreamEntryId.Parse(lastId))
        {
            undelivered = 0;
        }
        else if (delivered < StreamEntryId.Parse(firstId))
        {
            undelivered = length;
        }
        else
        {
            undelivered = reportedLag is { } lag ? Math.Clamp(lag, 1, Math.Max(1, length - 1)) : null;
        }

        return new StreamBacklog(length, true, undelivered, pending, counterIsOff);
    }
}
