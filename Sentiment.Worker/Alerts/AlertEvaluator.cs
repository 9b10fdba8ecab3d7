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
        var alerts = new List<Alert>();
        if (!_options.Enabled || batch.Count == 0)
        {
            return alerts;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var database = redis.GetDatabase();
        var now = time.GetUtcNow();
        var byId = batch.GroupBy(candidate => candidate.MessageId).ToDictionary(group => group.Key, group => group.First());

        var veryNegative = batch
            .Where(candidate => candidate.Score < _options.VeryNegativeScore)
            .GroupBy(candidate => candidate.Source)
            .Select(group => VeryNegativeAsync(database, group.Key, [.. group], byId, now));
        var negatives = batch.Where(candidate => candidate.IsNegative).ToList();
        var repeated = negatives
            .Where(candidate => candidate.UserId is not null)
            .GroupBy(candidate => (candidate.Source, UserId: candidate.UserId!))
            .Select(group => RepeatedNegativesAsync(database, group.Key.Source, group.Key.UserId, [.. group], byId, now));
        var spike = negatives.Count > 0 ? NegativeSpikeAsync(database, negatives, byId, now) : Task.FromResult<Alert?>(null);

        foreach (var alert in await Task.WhenAll([.. veryNegative, .. repeated, spike]))
        {
            if (alert is not null)
            {
                alerts.Add(alert);
            }
        }

        return alerts;
    }

    private async Task<Alert?> VeryNegativeAsync(
        IDatabase database, string source, List<AlertCandidate> candidates, Dictionary<string, AlertCandidate> byId, DateTimeOffset now)
    {
        RedisValue[] arguments =
        [
            now.ToUnixTimeMilliseconds(),
            (long)_options.Cooldown.TotalMilliseconds,
            .. candidates.Select(c => (RedisValue)c.MessageId),
        ];
        var fired = (string?)await database.ScriptEvaluateAsync(
            AlertScripts.ClaimCooldown, [Key($"{{very-negative:{source}}}:cooldown")], arguments);
        if (string.IsNullOrEmpty(fired))
        {
            return null;
        }

        var trigger = byId[fired];
        return Create(
            AlertTypes.VeryNegative, AlertSeverities.Warning, source, trigger, [fired], now,
            string.Create(CultureInfo.InvariantCulture, $"Score {trigger.Score:F3} is below {_options.VeryNegativeScore:F3}."));
    }

    private async Task<Alert?> NegativeSpikeAsync(
        IDatabase database, List<AlertCandidate> negatives, Dictionary<string, AlertCandidate> byId, DateTimeOffset now)
    {
        RedisValue[] arguments =
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
        ];
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(
            AlertScripts.NegativeSpike,
            [Key("{spike}:negatives"), Key("{spike}:hourly"), Key("{spike}:cooldown")],
            arguments))!;
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
    }

    private async Task<Alert?> RepeatedNegativesAsync(
        IDatabase database, string source, string userId, List<AlertCandidate> candidates, Dictionary<string, AlertCandidate> byId, DateTimeOffset now)
    {
        var key = $"{source}:{userId}";
        RedisValue[] arguments =
        [
            now.ToUnixTimeMilliseconds(),
            (long)_options.RepeatedNegativesWindow.TotalMilliseconds,
            _options.RepeatedNegativesCount,
            (long)_options.Cooldown.TotalMilliseconds,
            .. candidates.Select(c => (RedisValue)c.MessageId),
        ];
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(
            AlertScripts.RepeatedNegatives,
            [Key($"{{repeated:{key}}}:negatives"), Key($"{{repeated:{key}}}:cooldown")],
            arguments))!;
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
    }

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
