using System.Globalization;
using StackExchange.Redis;

namespace PortkeyAdminMcp.Policy;

/// <summary>
/// Counters in Redis, shared by server processes on any machine that reaches it. Each reservation is one Lua
/// script, which Redis runs atomically: check every charge, then apply all or none.
/// </summary>
public sealed class RedisCounterStore(ConfigurationOptions configuration, string description) : ICounterStore
{
    // One hash tag, so a call's counters share a slot and one script may touch them all on a cluster too.
    private const string Prefix = "{portkey-admin-mcp}:counter:";

    private const string ReserveScript = """
        local n = #KEYS
        for i = 1, n do
          local current = tonumber(redis.call('GET', KEYS[i]) or '0')
          local limit = ARGV[3 * i - 1]
          if limit ~= 'none' and current + tonumber(ARGV[3 * i - 2]) > tonumber(limit) then
            return {i, current}
          end
        end
        for i = 1, n do
          redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
          redis.call('EXPIRE', KEYS[i], ARGV[3 * i])
        end
        return {0, 0}
        """;

    private const string ReleaseScript = """
        for i = 1, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 1 then
            if redis.call('DECRBY', KEYS[i], ARGV[i]) < 0 then
              redis.call('SET', KEYS[i], 0, 'KEEPTTL')
            end
          end
        end
        return 0
        """;

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public string Description { get; } = description;

    public async ValueTask<IReadOnlyDictionary<string, long>> ReadAsync(IReadOnlyList<(string Key, CounterWindow Window)> counters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        if (counters.Count == 0)
        {
            return values;
        }

        var database = await DatabaseAsync(cancellationToken);
        var keys = counters.Select(c => (RedisKey)Key(c.Key, CounterWindows.Start(c.Window, now))).ToArray();
        var read = await database.StringGetAsync(keys).WaitAsync(cancellationToken);
        for (var i = 0; i < counters.Count; i++)
        {
            values[counters[i].Key] = read[i].IsNull ? 0 : (long)read[i];
        }

        return values;
    }

    public async ValueTask<ReserveOutcome> ReserveAsync(IReadOnlyList<CounterCharge> charges, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken);
        var keys = new RedisKey[charges.Count];
        var arguments = new RedisValue[charges.Count * 3];
        for (var i = 0; i < charges.Count; i++)
        {
            var charge = charges[i];
            var start = CounterWindows.Start(charge.Window, now);
            keys[i] = Key(charge.Key, start);
            arguments[3 * i] = charge.Amount;
            arguments[(3 * i) + 1] = charge.Limit is { } limit ? limit.ToString(CultureInfo.InvariantCulture) : "none";
            // Kept a minute past its window so a late release still finds it; then Redis forgets it.
            arguments[(3 * i) + 2] = (long)(CounterWindows.Length(charge.Window).TotalSeconds + 60);
        }

        var result = (RedisResult[])(await database.ScriptEvaluateAsync(ReserveScript, keys, arguments).WaitAsync(cancellationToken))!;
        var refused = (int)result[0];
        if (refused > 0)
        {
            return new ReserveOutcome(null, charges[refused - 1], (long)result[1]);
        }

        return new ReserveOutcome(
            [.. charges.Select(c => new HeldCharge(c.Key, CounterWindows.Start(c.Window, now), c.Amount))], null, 0);
    }

    public async ValueTask ReleaseAsync(IReadOnlyList<HeldCharge> held, CancellationToken cancellationToken)
    {
        var database = await DatabaseAsync(cancellationToken);
        await database.ScriptEvaluateAsync(
            ReleaseScript,
            [.. held.Select(h => (RedisKey)Key(h.Key, h.WindowStart))],
            [.. held.Select(h => (RedisValue)h.Amount)]).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync();
            _connection.Dispose();
        }

        _connecting.Dispose();
    }

    private static string Key(string counter, long windowStart) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{counter}:{windowStart}");

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } ready)
        {
            return ready.GetDatabase();
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            _connection ??= await ConnectionMultiplexer.ConnectAsync(configuration);
            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }
}
