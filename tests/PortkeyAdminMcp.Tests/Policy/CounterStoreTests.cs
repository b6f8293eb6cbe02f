using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>The same contract for every counter store: calendar-aligned UTC windows, all-or-nothing reserve, release.</summary>
public abstract class CounterStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 30, TimeSpan.Zero);
    private static readonly PolicyRule Rule = new() { Name = "r", Location = "tools.x.rules[0]", DenyMessage = "no" };

    private ICounterStore? _store;

    /// <summary>Created on first use, so a store whose server is not installed skips the test instead of failing it.</summary>
    protected ICounterStore Store => _store ??= Create();

    protected abstract ICounterStore Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    // Each store instance may share a backend with earlier tests (Redis): unique keys keep tests apart.
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    private CounterCharge Charge(string counter, long amount, long? limit, CounterWindow window = CounterWindow.Minute) =>
        new(Rule, $"{_prefix}.{counter}", window, amount, limit);

    private async Task<long> ReadAsync(string counter, CounterWindow window, DateTimeOffset now) =>
        (await Store.ReadAsync([($"{_prefix}.{counter}", window)], now, Bounded.Token()))[$"{_prefix}.{counter}"];

    [SkippableFact]
    public async Task Reserves_up_to_the_limit_and_refuses_the_charge_that_would_pass_it_without_changing_anything()
    {
        Assert.True((await Store.ReserveAsync([Charge("calls", 1, 2)], Noon, Bounded.Token())).Granted);
        Assert.True((await Store.ReserveAsync([Charge("calls", 1, 2)], Noon, Bounded.Token())).Granted);
        var third = await Store.ReserveAsync([Charge("calls", 1, 2)], Noon, Bounded.Token());

        Assert.False(third.Granted);
        Assert.Equal(2, third.RefusedCurrent);
        Assert.Equal(2, await ReadAsync("calls", CounterWindow.Minute, Noon));
    }

    [SkippableFact]
    public async Task A_call_with_several_counters_gets_all_or_none()
    {
        Assert.True((await Store.ReserveAsync([Charge("big", 5, 5, CounterWindow.Day)], Noon, Bounded.Token())).Granted);

        var outcome = await Store.ReserveAsync([Charge("small", 1, 10), Charge("big", 1, 5, CounterWindow.Day)], Noon, Bounded.Token());

        Assert.False(outcome.Granted);
        Assert.Equal($"{_prefix}.big", outcome.Refused!.Key);
        Assert.Equal(0, await ReadAsync("small", CounterWindow.Minute, Noon));
    }

    [SkippableFact]
    public async Task Releasing_gives_the_quota_back()
    {
        var outcome = await Store.ReserveAsync([Charge("calls", 3, 3)], Noon, Bounded.Token());
        Assert.False((await Store.ReserveAsync([Charge("calls", 1, 3)], Noon, Bounded.Token())).Granted);

        await Store.ReleaseAsync(outcome.Held!, Bounded.Token());

        Assert.Equal(0, await ReadAsync("calls", CounterWindow.Minute, Noon));
        Assert.True((await Store.ReserveAsync([Charge("calls", 1, 3)], Noon, Bounded.Token())).Granted);
    }

    [SkippableFact]
    public async Task A_charge_without_a_limit_only_counts()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Store.ReserveAsync([Charge("spend", 1000, null, CounterWindow.Hour)], Noon, Bounded.Token())).Granted);
        }

        Assert.Equal(3000, await ReadAsync("spend", CounterWindow.Hour, Noon));
    }

    [Theory]
    [InlineData(CounterWindow.Minute, "2026-11-23T12:00:59.999Z", "2026-11-23T12:01:00Z")]
    [InlineData(CounterWindow.Hour, "2026-11-23T12:59:59Z", "2026-11-23T13:00:00Z")]
    [InlineData(CounterWindow.Day, "2026-11-23T23:59:59Z", "2026-11-24T00:00:00Z")]
    public async Task Windows_are_calendar_aligned_in_utc(CounterWindow window, string lastMoment, string nextWindow)
    {
        var last = DateTimeOffset.Parse(lastMoment, System.Globalization.CultureInfo.InvariantCulture);
        var next = DateTimeOffset.Parse(nextWindow, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True((await Store.ReserveAsync([Charge("w", 1, 1, window)], last, Bounded.Token())).Granted);
        Assert.False((await Store.ReserveAsync([Charge("w", 1, 1, window)], last, Bounded.Token())).Granted);

        Assert.Equal(0, await ReadAsync("w", window, next));
        Assert.True((await Store.ReserveAsync([Charge("w", 1, 1, window)], next, Bounded.Token())).Granted);
    }

    [SkippableFact]
    public async Task A_release_after_the_window_rolled_over_does_not_touch_the_new_window()
    {
        var held = (await Store.ReserveAsync([Charge("roll", 1, 5)], Noon, Bounded.Token())).Held!;
        var later = Noon.AddMinutes(1);
        Assert.True((await Store.ReserveAsync([Charge("roll", 2, 5)], later, Bounded.Token())).Granted);

        await Store.ReleaseAsync(held, Bounded.Token());

        Assert.Equal(2, await ReadAsync("roll", CounterWindow.Minute, later));
    }

    [SkippableFact]
    public async Task A_call_cancelled_while_its_quota_is_reserved_gives_it_back()
    {
        var policy = PolicyLoaderTests.Valid("""
            version: "1"
            tools:
              create_api_key:
                rules:
                  - {name: one per day, rate_limit: 1/day}
            """);
        var guard = new PolicyGuard(
            Microsoft.Extensions.Options.Options.Create(new PolicyOptions { Policy = policy }), Microsoft.Extensions.Options.Options.Create(new PortkeyAdminMcp.Approvals.ApprovalOptions()),
            Store, new ManualClock(Noon), new SecretRegistry(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<PolicyGuard>.Instance);
        var arguments = PortkeyAdminMcp.Schemas.ToolArguments.Parse("""{"name":"a"}""");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // The store is asked to reserve whatever the token says (it bounds its own wait), and gives back at once.
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await guard.AdmitAsync("create_api_key", arguments, cancelled.Token));

        var admission = await guard.AdmitAsync("create_api_key", arguments, Bounded.Token());
        Assert.True(admission.Allowed);
        Assert.True(admission.HoldsQuota);
    }

    [SkippableFact]
    public async Task Concurrent_reservations_never_pass_the_limit()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            Task.Run(async () => await Store.ReserveAsync([Charge("race", 1, 7)], Noon, Bounded.Token()))));

        Assert.Equal(7, outcomes.Count(o => o.Granted));
        Assert.Equal(7, await ReadAsync("race", CounterWindow.Minute, Noon));
    }
}

public sealed class MemoryCounterStoreTests : CounterStoreContract
{
    protected override ICounterStore Create() => new MemoryCounterStore();
}

public sealed class SqliteCounterStoreTests : CounterStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-sqlite-").FullName;

    protected override ICounterStore Create() => CounterStores.Create($"sqlite:{Path.Combine(_directory, "state", "counters.db")}", new SecretRegistry());

    [SkippableFact]
    public async Task Two_stores_on_one_file_share_one_quota()
    {
        await using var other = Create();
        var rule = new PolicyRule { Name = "r", Location = "l", DenyMessage = "no" };
        var now = DateTimeOffset.UtcNow;
        Assert.True((await Store.ReserveAsync([new CounterCharge(rule, "shared.k", CounterWindow.Day, 1, 1)], now, Bounded.Token())).Granted);
        Assert.False((await other.ReserveAsync([new CounterCharge(rule, "shared.k", CounterWindow.Day, 1, 1)], now, Bounded.Token())).Granted);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class RedisCounterStoreTests(RedisServer redis) : CounterStoreContract, IClassFixture<RedisServer>
{
    protected override ICounterStore Create()
    {
        RedisServer.SkipUnlessInstalled();
        return CounterStores.Create(redis.Url, new SecretRegistry());
    }

    [SkippableFact]
    public async Task A_password_in_the_url_is_registered_as_a_secret_and_left_out_of_the_description()
    {
        var secrets = new SecretRegistry();
        await using var store = CounterStores.Create("redis://agent:s3cr3t-Redis-Pass@127.0.0.1:1/2", secrets);
        Assert.Equal("redis://127.0.0.1:1/2", store.Description);
        Assert.Equal("redis at [REDACTED]", secrets.Scrub("redis at s3cr3t-Redis-Pass"));
    }

    [SkippableFact]
    public async Task An_unreachable_redis_fails_the_reservation_instead_of_granting_it()
    {
        await using var store = CounterStores.Create("redis://127.0.0.1:1", new SecretRegistry());
        var rule = new PolicyRule { Name = "r", Location = "l", DenyMessage = "no" };
        await Assert.ThrowsAsync<StackExchange.Redis.RedisConnectionException>(async () =>
            await store.ReserveAsync([new CounterCharge(rule, "x.y", CounterWindow.Minute, 1, 5)], DateTimeOffset.UtcNow, Bounded.Token()));
    }
}
