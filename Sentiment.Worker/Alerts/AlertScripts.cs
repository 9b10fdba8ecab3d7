namespace Sentiment.Worker.Alerts;

/// <summary>
/// The rules' Lua script. It runs atomically in Redis, so any number of workers can evaluate batches at once:
/// counting and the cooldown claim happen in one step, and only the worker whose message wins the claim raises the alert.
/// </summary>
/// <remarks>
/// Counting is idempotent: a message is a sorted-set member keyed by its id (ZADD NX keeps the first time it was
/// counted), so a redelivered message never counts twice. A message only claims a cooldown when it was newly counted;
/// a redelivered message that already holds the claim (its worker stopped before acknowledging) raises the same alert
/// again, which the <c>alerts</c> table's primary key then ignores. Each rule's keys share a hash tag, so they stay
/// in one slot of a Redis cluster; there the evaluator sends one call per slot instead of one per batch.
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

    /// <summary>
    /// Every rule a batch needs, in one script call (one round trip, one EVALSHA, however many sources and users the
    /// batch holds). ARGV is a run of invocations, each <c>rule, argument count, arguments…</c>, where rule is
    /// <c>v</c> (very negative: 1 key), <c>s</c> (spike: 3 keys) or <c>r</c> (repeated negatives: 2 keys), and KEYS
    /// are their keys in the same order. Returns one result per invocation, in order, shaped as each rule's
    /// function below says. The rules run one after another; each touches only its own keys, so the order does not
    /// change what they decide.
    /// </summary>
    public const string EvaluateBatch = Claim + "\n" + """
        -- keys: cooldown. args: now ms, cooldown ms, message ids. Returns the id that holds the claim, or ''.
        local function very_negative(keys, args)
          local now = tonumber(args[1])
          local cooldown = tonumber(args[2])
          for i = 3, #args do
            if claim(keys[1], args[i], now, cooldown, true) then
              return args[i]
            end
          end
          return ''
        end

        -- keys: negatives (zset), hourly counts (hash), cooldown. args: now ms, window ms, threshold, cooldown ms,
        -- relative (0/1), sigmas, history hours, relative minimum, message ids.
        -- Returns {firing id or '', count when fired, 'absolute'|'relative'|'', hourly mean, hourly standard deviation}.
        local function negative_spike(keys, args)
          local now = tonumber(args[1])
          local window = tonumber(args[2])
          local threshold = tonumber(args[3])
          local relative = args[5] == '1'
          local sigmas = tonumber(args[6])
          local history = tonumber(args[7])
          local minimum = tonumber(args[8])
          local hour = math.floor(now / 3600000)
          redis.call('ZREMRANGEBYSCORE', keys[1], '-inf', '(' .. (now - window))
          local mean, sd = 0, 0
          if relative then
            local sum, squares = 0, 0
            for h = hour - history, hour - 1 do
              local c = tonumber(redis.call('HGET', keys[2], tostring(h)) or '0')
              sum = sum + c
              squares = squares + c * c
            end
            mean = sum / history
            sd = math.sqrt(math.max(squares / history - mean * mean, 0))
          end
          local fired, firedCount, reason = '', 0, ''
          for i = 9, #args do
            local id = args[i]
            local added = redis.call('ZADD', keys[1], 'NX', now, id)
            if added == 1 then
              redis.call('HINCRBY', keys[2], tostring(hour), 1)
            end
            if fired == '' then
              local count = redis.call('ZCARD', keys[1])
              local why = ''
              if count > threshold then
                why = 'absolute'
              elseif relative and count >= minimum and count > mean + sigmas * sd then
                why = 'relative'
              end
              if why ~= '' then
                if claim(keys[3], id, now, tonumber(args[4]), added == 1) then
                  fired, firedCount, reason = id, count, why
                end
              end
            end
          end
          for _, field in ipairs(redis.call('HKEYS', keys[2])) do
            if tonumber(field) < hour - history then
              redis.call('HDEL', keys[2], field)
            end
          end
          redis.call('PEXPIRE', keys[1], window)
          return {fired, firedCount, reason, tostring(mean), tostring(sd)}
        end

        -- keys: one user's negatives (zset), cooldown. args: now ms, window ms, count, cooldown ms, message ids.
        -- Returns {} or {firing id, count, the ids counted in the window, oldest first (at most 20)}.
        local function repeated_negatives(keys, args)
          local now = tonumber(args[1])
          local window = tonumber(args[2])
          local need = tonumber(args[3])
          redis.call('ZREMRANGEBYSCORE', keys[1], '-inf', '(' .. (now - window))
          local fired, firedCount = '', 0
          for i = 5, #args do
            local id = args[i]
            local added = redis.call('ZADD', keys[1], 'NX', now, id)
            if fired == '' then
              local count = redis.call('ZCARD', keys[1])
              if count >= need then
                if claim(keys[2], id, now, tonumber(args[4]), added == 1) then
                  fired, firedCount = id, count
                end
              end
            end
          end
          redis.call('PEXPIRE', keys[1], window)
          if fired == '' then
            return {}
          end
          local result = {fired, firedCount}
          for _, member in ipairs(redis.call('ZRANGE', keys[1], 0, 19)) do
            table.insert(result, member)
          end
          return result
        end

        local rules = {v = {very_negative, 1}, s = {negative_spike, 3}, r = {repeated_negatives, 2}}
        local results = {}
        local k, a = 1, 1
        while a <= #ARGV do
          local rule = rules[ARGV[a]]
          local count = tonumber(ARGV[a + 1])
          local keys, args = {}, {}
          for i = 1, rule[2] do
            keys[i] = KEYS[k + i - 1]
          end
          for i = 1, count do
            args[i] = ARGV[a + 1 + i]
          end
          results[#results + 1] = rule[1](keys, args)
          k = k + rule[2]
          a = a + 2 + count
        end
        return results
        """;
}
