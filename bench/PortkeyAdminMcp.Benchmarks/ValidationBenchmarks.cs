using BenchmarkDotNet.Attributes;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.VirtualKeys;

namespace PortkeyAdminMcp.Benchmarks;

/// <summary>The work a tool call does before any I/O: validate every argument, then build the exact request.</summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private readonly ToolArguments _create = ToolArguments.Parse("""
        {"name":"ci-bot","type":"workspace","sub_type":"service","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e",
         "scopes":["completions.write","logs.view"],"credit_limit":250,"alert_threshold":80,"rate_limit_rpm":60,
         "alert_emails":["ops@example.com"],"expires_at":"2030-01-01T00:00:00Z","default_metadata":{"team":"ml"}}
        """);

    private readonly ToolArguments _update = ToolArguments.Parse("""
        {"id":"60571396-bd81-4e58-8c82-4858930ede0b","name":"renamed","scopes":["logs.view"],"expires_at":null,"rate_limit_rpm":100}
        """);

    private readonly ToolArguments _get = ToolArguments.Parse("""{"id":"60571396-bd81-4e58-8c82-4858930ede0b"}""");

    private readonly ToolArguments _virtualKey = ToolArguments.Parse("""
        {"key":"sk-proj-BenchmarkKey0001","name":"az","provider":"azure-openai","resource_name":"res",
         "deployment_name":"gpt4o","api_version":"2024-10-21","credit_limit":100,"alert_threshold":75}
        """);

    [Benchmark]
    public PortkeyRequest CreateApiKey() => Valid(ApiKeyContracts.Create, _create, ApiKeyRequests.Create);

    [Benchmark]
    public PortkeyRequest UpdateApiKey() => Valid(ApiKeyContracts.Update, _update, args => ApiKeyRequests.Update(args, null, []));

    [Benchmark]
    public PortkeyRequest GetApiKey() => Valid(ApiKeyContracts.Get, _get, args => ApiKeyRequests.Get(args.String("id")!));

    [Benchmark]
    public PortkeyRequest CreateVirtualKey() => Valid(VirtualKeyContracts.Create, _virtualKey, args => VirtualKeyRequests.Create(args));

    private static PortkeyRequest Valid(ToolContract contract, ToolArguments args, Func<ToolArguments, PortkeyRequest> map) =>
        contract.Check(args).Count == 0 ? map(args) : throw new InvalidOperationException("benchmark input is invalid");
}
