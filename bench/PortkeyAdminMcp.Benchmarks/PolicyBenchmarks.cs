using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Benchmarks;

/// <summary>What the policy adds to one call: the rules, then the counter round trip per store.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks : IDisposable
{
    private const string Yaml = """
        version: "1"
        hide: [rotate_api_key]
        tools:
          create_api_key:
            rules:
              - name: hourly keys
                rate_limit: 1000000/hour
              - name: workspace keys only
                conditions:
                  - {path: args.type, op: in, value: [workspace]}
                  - {path: args.name, op: regex, value: "^[a-z][a-z0-9-]*$"}
                  - {path: args.credit_limit, op: lte, value: 500}
              - name: daily credit
                conditions: [{path: state.create_api_key.credit, op: lte, value: 1000000000}]
                state: {counter: credit, window: day, increment_from: args.credit_limit}
          delete_api_key:
            rules:
              - {name: no deletions, action: deny}
          "*":
            rules:
              - name: global
                rate_limit: 1000000/minute
        """;

    private readonly PolicySet _policy;
    private readonly JsonElement _create;
    private readonly MemoryCounterStore _memory = new();
    private readonly ICounterStore _sqlite;
    private readonly string _directory = Directory.CreateTempSubdirectory("pk-bench-").FullName;

    public PolicyBenchmarks()
    {
        var (policy, problems) = PolicyLoader.Parse(Yaml, "bench.yaml", ServerSetup.ComposeCatalog().ArgumentNames());
        _policy = policy ?? throw new InvalidOperationException(string.Join("; ", problems));
        using var document = JsonDocument.Parse("""
            {"name":"ci-bot","type":"workspace","sub_type":"service","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e",
             "scopes":["completions.write"],"credit_limit":250}
            """);
        _create = document.RootElement.Clone();
        _sqlite = CounterStores.Create($"sqlite:{Path.Combine(_directory, "counters.db")}", new SecretRegistry());
    }

    [Benchmark]
    public PolicyVerdict DenyRule() => PolicyEvaluator.Evaluate(_policy, "delete_api_key", _create);

    [Benchmark]
    public PolicyVerdict ConditionsAndCounters() => PolicyEvaluator.Evaluate(_policy, "create_api_key", _create);

    [Benchmark]
    public async Task<int> EvaluateReserveReleaseMemory() => await RoundTripAsync(_memory);

    [Benchmark]
    public async Task<int> EvaluateReserveReleaseSqlite() => await RoundTripAsync(_sqlite);

    private async Task<int> RoundTripAsync(ICounterStore store)
    {
        var verdict = PolicyEvaluator.Evaluate(_policy, "create_api_key", _create);
        var outcome = await store.ReserveAsync(verdict.Charges, DateTimeOffset.UtcNow, CancellationToken.None);
        await store.ReleaseAsync(outcome.Held!, CancellationToken.None);
        return outcome.Held!.Count;
    }

    public void Dispose()
    {
        _sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
