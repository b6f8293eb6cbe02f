namespace PortkeyAdminMcp.Policy;

/// <summary>A charge that was granted: what to take back if the call fails.</summary>
public sealed record HeldCharge(string Key, long WindowStart, long Amount);

/// <summary>All charges granted (Held set), or the first that would pass its limit (nothing changed).</summary>
public sealed record ReserveOutcome(IReadOnlyList<HeldCharge>? Held, CounterCharge? Refused, long RefusedCurrent)
{
    public bool Granted => Held is not null;
}

/// <summary>
/// Calendar-aligned UTC counters. Reserve is all-or-nothing across the charges of one call, so two callers
/// racing for the last unit of a quota cannot both get it; release undoes a reservation of a failed call.
/// </summary>
public interface ICounterStore : IAsyncDisposable
{
    /// <summary>"memory", "sqlite:/path", "redis://host:port": for messages and logs (never a password).</summary>
    string Description { get; }

    ValueTask<IReadOnlyDictionary<string, long>> ReadAsync(IReadOnlyList<(string Key, CounterWindow Window)> counters, DateTimeOffset now, CancellationToken cancellationToken);

    ValueTask<ReserveOutcome> ReserveAsync(IReadOnlyList<CounterCharge> charges, DateTimeOffset now, CancellationToken cancellationToken);

    ValueTask ReleaseAsync(IReadOnlyList<HeldCharge> held, CancellationToken cancellationToken);
}

public static class CounterWindows
{
    /// <summary>Start of the window that contains <paramref name="now"/>, in Unix seconds: :00 of the minute, the hour, 00:00 UTC.</summary>
    public static long Start(CounterWindow window, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var start = window switch
        {
            CounterWindow.Minute => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc),
            CounterWindow.Hour => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc),
            _ => new DateTime(utc.Year, utc.Month, utc.Day, 0, 0, 0, DateTimeKind.Utc),
        };
        return new DateTimeOffset(start).ToUnixTimeSeconds();
    }

    public static TimeSpan Length(CounterWindow window) => window switch
    {
        CounterWindow.Minute => TimeSpan.FromMinutes(1),
        CounterWindow.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>When the window containing <paramref name="now"/> ends and its counter starts again from zero.</summary>
    public static DateTimeOffset Resets(CounterWindow window, DateTimeOffset now) =>
        DateTimeOffset.FromUnixTimeSeconds(Start(window, now)) + Length(window);
}

/// <summary>Counters of this process only: one server process serves one client session.</summary>
public sealed class MemoryCounterStore : ICounterStore
{
    private readonly Dictionary<string, (long WindowStart, long Value)> _counters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Description => "memory";

    public ValueTask<IReadOnlyDictionary<string, long>> ReadAsync(IReadOnlyList<(string Key, CounterWindow Window)> counters, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (key, window) in counters)
            {
                values[key] = Current(key, CounterWindows.Start(window, now));
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, long>>(values);
    }

    public ValueTask<ReserveOutcome> ReserveAsync(IReadOnlyList<CounterCharge> charges, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var charge in charges)
            {
                var current = Current(charge.Key, CounterWindows.Start(charge.Window, now));
                if (charge.Limit is { } limit && current + charge.Amount > limit)
                {
                    return ValueTask.FromResult(new ReserveOutcome(null, charge, current));
                }
            }

            var held = new List<HeldCharge>(charges.Count);
            foreach (var charge in charges)
            {
                var start = CounterWindows.Start(charge.Window, now);
                _counters[charge.Key] = (start, Current(charge.Key, start) + charge.Amount);
                held.Add(new HeldCharge(charge.Key, start, charge.Amount));
            }

            return ValueTask.FromResult(new ReserveOutcome(held, null, 0));
        }
    }

    public ValueTask ReleaseAsync(IReadOnlyList<HeldCharge> held, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var charge in held)
            {
                // A window that has since rolled over already forgot the charge.
                if (_counters.TryGetValue(charge.Key, out var entry) && entry.WindowStart == charge.WindowStart)
                {
                    _counters[charge.Key] = (entry.WindowStart, Math.Max(0, entry.Value - charge.Amount));
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private long Current(string key, long windowStart) =>
        _counters.TryGetValue(key, out var entry) && entry.WindowStart == windowStart ? entry.Value : 0;
}
