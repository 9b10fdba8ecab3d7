namespace Sentiment.Worker.Alerts;

/// <summary>
/// The rules' Lua scripts. Each runs atomically in Redis, so any number of workers can evaluate batches at once:
/// counting and the cooldown claim happen in one step, and only the worker whose message wins the claim raises the alert.
/// </summary>
/// <remarks>
/// Counting is idempotent: a message is a sorted-set member keyed by its id (ZADD NX keeps the first time it was
/// counted), so a redelivered message never counts twice. A message only claims a cooldown when it was newly counted;
/// a redelivered message that already holds the claim (its worker stopped before acknowledging) raises the same alert
/// again, which the <c>alerts</c> table's primary key then ignores. Each script's keys share a hash tag, so they
/// stay in one slot of a Redis cluster.
/// </remarks>
internal static class AlertScripts
{
    // A cooldown key holds "<expires ms>|<message id>" of the alert that claimed it. The expiry is compared with the
    // workers' clock (TimeProvider), not left to Redis's own expiry alone, so every rule runs on one clock; PX only
    // cleans the key up afterwards. The message that holds the claim keeps it (a redelivery re-raises its alert);
    // another takes it only when it was newly counted and the cooldown has run out.
    private const string Claim = """
        local function claim(key, id, now, cooldown, fresh)
          local holder = redis.call('GET', key)
          if holder then
            local separator = string.find(holder, '|', 1, true)
            if string.sub(holder, separator + 1) == id then
              return true
            end
            if tonumber(string.sub(holder, 1, separator - 1)) > now then
              return false
            end
          end
          if not fresh then
            return false
          end
          redis.call('SET', key, (now + cooldown) .. '|' .. id, 'PX', cooldown)
          return true
        end
        """;

    /// <summary>KEYS: cooldown. ARGV: now ms, cooldown ms, message ids. Returns the id that holds the claim, or ''.</summary>
    public const string ClaimCooldown = Claim + "\n" + """
        local now = tonumber(ARGV[1])
        local cooldown = tonumber(ARGV[2])
        for i = 3, #ARGV do
          if claim(KEYS[1], ARGV[i], now, cooldown, true) then
            return ARGV[i]
          end
        end
        return ''
        """;

    /// <summary>
    /// KEYS: negatives (zset), hourly counts (hash), cooldown. ARGV: now ms, window ms, threshold, cooldown ms,
    /// relative (0/1), sigmas, history hours, relative minimum, message ids.
    /// Returns {firing id or '', count when fired, 'absolute'|'relative'|'', hourly mean, hourly standard deviation}.
    /// </summary>
    public const string NegativeSpike = Claim + "\n" + """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local threshold = tonumber(ARGV[3])
        local relative = ARGV[5] == '1'
        local sigmas = tonumber(ARGV[6])
        local history = tonumber(ARGV[7])
        local minimum = tonumber(ARGV[8])
        local hour = math.floor(now / 3600000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
        local mean, sd = 0, 0
        if relative then
          local sum, squares = 0, 0
          for h = hour - history, hour - 1 do
            local c = tonumber(redis.call('HGET', KEYS[2], tostring(h)) or '0')
            sum = sum + c
            squares = squares + c * c
          end
          mean = sum / history
          sd = math.sqrt(math.max(squares / history - mean * mean, 0))
        end
        local fired, firedCount, reason = '', 0, ''
        for i = 9, #ARGV do
          local id = ARGV[i]
          local added = redis.call('ZADD', KEYS[1], 'NX', now, id)
          if added == 1 then
            redis.call('HINCRBY', KEYS[2], tostring(hour), 1)
          end
          if fired == '' then
            local count = redis.call('ZCARD', KEYS[1])
            local why = ''
            if count > threshold then
              why = 'absolute'
            elseif relative and count >= minimum and count > mean + sigmas * sd then
              why = 'relative'
            end
            if why ~= '' then
              if claim(KEYS[3], id, now, tonumber(ARGV[4]), added == 1) then
                fired, firedCount, reason = id, count, why
              end
            end
          end
        end
        for _, field in ipairs(redis.call('HKEYS', KEYS[2])) do
          if tonumber(field) < hour - history then
            redis.call('HDEL', KEYS[2], field)
          end
        end
        redis.call('PEXPIRE', KEYS[1], window)
        return {fired, firedCount, reason, tostring(mean), tostring(sd)}
        """;

    /// <summary>
    /// KEYS: one user's negatives (zset), cooldown. ARGV: now ms, window ms, count, cooldown ms, message ids.
    /// Returns {} or {firing id, count, the ids counted in the window, oldest first (at most 20)}.
    /// </summary>
    public const string RepeatedNegatives = Claim + "\n" + """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local need = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
        local fired, firedCount = '', 0
        for i = 5, #ARGV do
          local id = ARGV[i]
          local added = redis.call('ZADD', KEYS[1], 'NX', now, id)
          if fired == '' then
            local count = redis.call('ZCARD', KEYS[1])
            if count >= need then
              if claim(KEYS[2], id, now, tonumber(ARGV[4]), added == 1) then
                fired, firedCount = id, count
              end
            end
          end
        end
        redis.call('PEXPIRE', KEYS[1], window)
        if fired == '' then
          return {}
        end
        local result = {fired, firedCount}
        for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, 19)) do
          table.insert(result, member)
        end
        return result
        """;
}
