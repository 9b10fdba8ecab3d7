using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Sentiment.Contracts.Alerts;
using StackExchange.Redis;

namespace Sentiment.Worker.Alerts;

/// <summary>
/// Runs the three rules over a stored batch against the shared state in Redis and returns the alerts this worker
/// must raise. Holds no state of its own: a new instance (a restarted worker) carries on where the last one stopped.
/// </summary>
public sealed class AlertEvaluator(IConnectionMultiplexer redis, IOptions<AlertOptions> options, TimeProvider time)
{
    private readonly AlertOptions _options = options.Value;

    public async Task<IReadOnlyList<Alert>> EvaluateAsync(IReadOnlyList<AlertCandidate> batch, CancellationToken cancellationToken)
    {
        if (!_options.Enabled || batch.Count == 0)
        {
            return [];
        }

        cancellationToken.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        var byId = batch.GroupBy(candidate => candidate.MessageId).ToDictionary(group => group.Key, group => group.First());

        var negatives = batch.Where(candidate => candidate.IsNegative).ToList();
        var rules = new List<RuleCall>();
        rules.AddRange(batch
            .Where(candidate => candidate.Score < _options.VeryNegativeScore)
            .GroupBy(candidate => candidate.Source)
            .Select(group => VeryNegative(group.Key, [.. group], byId, now)));
        rules.AddRange(negatives
            .Where(candidate => candidate.UserId is not null)
            .GroupBy(candidate => (candidate.Source, UserId: candidate.UserId!))
            .Select(group => RepeatedNegatives(group.Key.Source, group.Key.UserId, [.. group], byId, now)));
        if (negatives.Count > 0)
        {
            rules.Add(NegativeSpike(negatives, byId, now));
        }

        if (rules.Count == 0)
        {
            return [];
        }

        // One script call for the whole batch. A cluster cannot run one script over keys of several slots, so there
        // it is one call per slot (each rule's keys share a hash tag).
        var database = redis.GetDatabase();
        List<List<RuleCall>> groups = IsCluster() ? [.. rules.GroupBy(rule => redis.HashSlot(rule.Keys[0])).Select(group => group.ToList())] : [rules];
        var results = await Task.WhenAll(groups.Select(group => EvaluateAsync(database, group)));

        var alerts = new List<Alert>();
        foreach (var (group, result) in groups.Zip(results))
        {
            for (var i = 0; i < group.Count; i++)
            {
                if (group[i].Read(result[i]) is { } alert)
                {
                    alerts.Add(alert);
                }
            }
        }

        return alerts;
    }

    private static async Task<RedisResult[]> EvaluateAsync(IDatabase database, List<RuleCall> rules)
    {
        var arguments = new List<RedisValue>();
        foreach (var rule in rules)
        {
            arguments.Add(rule.Code);
            arguments.Add(rule.Arguments.Length);
            arguments.AddRange(rule.Arguments);
        }

        return (RedisResult[])(await database.ScriptEvaluateAsync(
            AlertScripts.EvaluateBatch, [.. rules.SelectMany(rule => rule.Keys)], [.. arguments]))!;
    }

    private bool IsCluster() => redis.GetServers().Any(server => server.ServerType == ServerType.Cluster);

    private RuleCall VeryNegative(string source, List<AlertCandidate> candidates, Dictionary<string, AlertCandidate> byId, DateTimeOffset now) => new(
        "v",
        [Key($"{{very-negative:{source}}}:cooldown")],
        [
            now.ToUnixTimeMilliseconds(),
            (long)_options.Cooldown.TotalMilliseconds,
            .. candidates.Select(c => (RedisValue)c.MessageId),
        ],
        result =>
        {
            var fired = (string?)result;
            if (string.IsNullOrEmpty(fired))
            {
                return null;
            }

            var trigger = byId[fired];
            return Create(
                AlertTypes.VeryNegative, AlertSeverities.Warning, source, trigger, [fired], now,
                string.Create(CultureInfo.InvariantCulture, $"Score {trigger.Score:F3} is below {_options.VeryNegativeScore:F3}."));
        });

    private RuleCall NegativeSpike(List<AlertCandidate> negatives, Dictionary<string, AlertCandidate> byId, DateTimeOffset now) => new(
        "s",
        [Key("{spike}:negatives"), Key("{spike}:hourly"), Key("{spike}:cooldown")],
        [
            now.ToUnixTimeMilliseconds(),
            (long)_options.SpikeWindow.TotalMilliseconds,
            _options.SpikeThreshold,
            (long)_options.Cooldown.TotalMilliseconds,
            _options.RelativeSpikeEnabled ? 1 : 0,
            _options.RelativeSpikeSigmas.ToString(CultureInfo.InvariantCulture),
            _options.RelativeSpikeHistoryHours,
            _options.RelativeSpikeMinCount,
            .. negatives.Select(c => (RedisValue)c.MessageId),
        ],
        raw =>
        {
            var result = (RedisResult[])raw!;
            var fired = (string?)result[0];
            if (string.IsNullOrEmpty(fired))
            {
                return null;
            }

            var count = (long)result[1];
            var minutes = _options.SpikeWindow.TotalMinutes;
            var reason = (string?)result[2] == "relative"
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{count} negative messages in the last {minutes:0.#} minutes, more than {_options.RelativeSpikeSigmas:0.##} σ above the trailing {_options.RelativeSpikeHistoryHours}-hour hourly mean {double.Parse((string)result[3]!, CultureInfo.InvariantCulture):0.##} (σ {double.Parse((string)result[4]!, CultureInfo.InvariantCulture):0.##}).")
                : string.Create(CultureInfo.InvariantCulture,
                    $"{count} negative messages in the last {minutes:0.#} minutes (threshold: more than {_options.SpikeThreshold}).");
            var trigger = byId[fired];
            return Create(AlertTypes.NegativeSpike, AlertSeverities.Critical, "all", trigger, [fired], now, reason);
        });

    private RuleCall RepeatedNegatives(
        string source, string userId, List<AlertCandidate> candidates, Dictionary<string, AlertCandidate> byId, DateTimeOffset now)
    {
        var key = $"{source}:{userId}";
        return new(
            "r",
            [Key($"{{repeated:{key}}}:negatives"), Key($"{{repeated:{key}}}:cooldown")],
            [
                now.ToUnixTimeMilliseconds(),
                (long)_options.RepeatedNegativesWindow.TotalMilliseconds,
                _options.RepeatedNegativesCount,
                (long)_options.Cooldown.TotalMilliseconds,
                .. candidates.Select(c => (RedisValue)c.MessageId),
            ],
            raw =>
            {
                var result = (RedisResult[])raw!;
                if (result.Length == 0)
                {
                    return null;
                }

                var fired = (string)result[0]!;
                var count = (long)result[1];
                string[] ids = [fired, .. result.Skip(2).Select(member => (string)member!).Where(id => id != fired)];
                var trigger = byId[fired];
                return Create(
                    AlertTypes.RepeatedNegatives, AlertSeverities.Warning, key, trigger, ids, now,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{count} negative messages from user {userId} of {source} within {_options.RepeatedNegativesWindow.TotalHours:0.#} hours (threshold {_options.RepeatedNegativesCount})."));
            });
    }

    /// <summary>One rule over one key: its code in <see cref="AlertScripts.EvaluateBatch"/>, its keys and arguments, and how to read its result.</summary>
    private sealed record RuleCall(string Code, RedisKey[] Keys, RedisValue[] Arguments, Func<RedisResult, Alert?> Read);

    private Alert Create(string type, string severity, string ruleKey, AlertCandidate trigger, string[] messageIds, DateTimeOffset now, string reason) => new()
    {
        Id = AlertId(type, ruleKey, trigger.MessageId),
        Type = type,
        Severity = severity,
        RuleKey = ruleKey,
        MessageIds = messageIds,
        Score = trigger.Score,
        Snippet = Snippet(trigger.Text),
        Source = trigger.Source,
        Link = $"{_options.DashboardBaseUrl.TrimEnd('/')}/messages/{Uri.EscapeDataString(trigger.MessageId)}",
        Reason = reason,
        CreatedAt = now,
        Status = AlertStatuses.Active,
    };

    private RedisKey Key(string suffix) => _options.KeyPrefix + suffix;

    /// <summary>The same rule, key and triggering message always give the same id (a name-based UUID, version 8).</summary>
    public static Guid AlertId(string type, string ruleKey, string messageId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}\n{ruleKey}\n{messageId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>At most <see cref="Alert.MaxSnippetLength"/> characters, never cutting a surrogate pair in two.</summary>
    public static string Snippet(string text)
    {
        if (text.Length <= Alert.MaxSnippetLength)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[Alert.MaxSnippetLength - 1]) ? Alert.MaxSnippetLength - 1 : Alert.MaxSnippetLength;
        return text[..length];
    }
}
