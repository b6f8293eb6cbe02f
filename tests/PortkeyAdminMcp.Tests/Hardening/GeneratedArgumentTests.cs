using System.Text.Json.Nodes;
using CsCheck;
using ModelContextProtocol;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Hardening;

/// <summary>
/// Generated argument objects thrown at every tool: wrong types, huge strings, deep nesting, odd Unicode,
/// nulls, extra fields, and near-valid mixes. Every generated call must end in a tool result — a success that
/// matches the published output schema, or an error the server meant (invalid arguments, a policy refusal, an
/// answer from Portkey) and never "failed inside this server" — and the server must keep answering.
/// </summary>
public class GeneratedArgumentTests : StubbedServerTest
{
    /// <summary>Every toolset, so every tool's validation is what the generated calls meet.</summary>
    protected override Dictionary<string, string?> Settings => new() { ["PORTKEY_MCP_TOOLSETS"] = "all" };

    private static readonly string[] s_names =
        ["id", "slug", "name", "type", "sub_type", "scopes", "key", "provider", "credit_limit", "alert_threshold", "rate_limit_rpm",
         "rate_limits", "expires_at", "workspace_id", "user_id", "default_metadata", "rotation_policy", "dry_run", "page_size", "\u0000", "名前", "__proto__"];

    private static Gen<JsonNode?> Value(int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Bool.Select(_ => (JsonNode?)null),
            Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0)),
            Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
            Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Char.Array[0, 300].Select(c => (JsonNode?)JsonValue.Create(new string(c))),
            Gen.Int[1, 200_000].Select(n => (JsonNode?)JsonValue.Create(new string('x', n))),
            Gen.OneOf("60571396-bd81-4e58-8c82-4858930ede0b", "workspace", "organisation", "service", "user", "openai",
                "2030-01-01T00:00:00Z", "${env:HOME}", "${secret:sr-1#k}", "../admin", "\uD800", "\u202Eevil").Select(s => (JsonNode?)JsonValue.Create(s)));
        if (depth <= 0)
        {
            return scalar;
        }

        var child = Value(depth - 1);
        return Gen.Frequency(
            (6, scalar),
            (1, child.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (1, Gen.Select(Gen.OneOf(s_names), child).Array[0, 4].Select(members => (JsonNode?)Object(members))));
    }

    private static JsonObject Object((string Name, JsonNode? Value)[] members)
    {
        var result = new JsonObject();
        foreach (var (name, value) in members)
        {
            result[name] = value;
        }

        return result;
    }

    /// <summary>Nesting deep enough to be hostile, built directly (generators keep it shallow).</summary>
    private static JsonNode Deep(int depth)
    {
        JsonNode node = JsonValue.Create(1);
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["a"] = node };
        }

        return node;
    }

    [Fact]
    public async Task Every_tool_answers_every_generated_argument_object()
    {
        var outcome = await RunGeneratedCallsAsync(Server, 1500);

        Assert.Equal(1500, outcome.Results);
        Assert.Empty(outcome.Unexpected);
        Assert.True(outcome.Invalid > 1000, $"only {outcome.Invalid} generated calls were refused as invalid");
        Assert.Equal(Catalog.Tools.All.Count(t => t.OfferedWhen is null), (await Server.Client.ListToolsAsync(cancellationToken: Bounded.Token())).Count);
    }

    [Fact]
    public async Task Every_tool_answers_generated_arguments_under_a_policy_with_counters_approval_and_an_audit_log()
    {
        var directory = Directory.CreateTempSubdirectory("pk-generated-policy-").FullName;
        var policy = Path.Combine(directory, "policy.yaml");
        var audit = Path.Combine(directory, "audit.jsonl");
        await File.WriteAllTextAsync(policy, """
            version: "1"
            hide: [rotate_api_key]
            tools:
              create_api_key:
                rules:
                  - name: credit handed out
                    conditions: [{path: state.create_api_key.credit, op: lte, value: 1000000}]
                    state: {counter: credit, window: day, increment_from: args.credit_limit}
                  - name: names
                    conditions: [{path: args.name, op: regex, value: "^(a+)+$"}]
              update_api_key:
                rules:
                  - name: approval for big limits
                    action: require_approval
                    conditions: [{path: args.credit_limit, op: gt, value: 10}]
              "*":
                rules:
                  - {name: global, rate_limit: 100000/minute}
                  - name: no odd metadata
                    conditions: [{path: args.default_metadata.__proto__, op: exists, value: false}]
            """);
        var answers = new[] { "accept", "decline", "cancel" };
        var asked = 0;
        var options = new ModelContextProtocol.Client.McpClientOptions
        {
            Handlers = new ModelContextProtocol.Client.McpClientHandlers
            {
                ElicitationHandler = (_, _) => ValueTask.FromResult(
                    new ModelContextProtocol.Protocol.ElicitResult { Action = answers[Interlocked.Increment(ref asked) % 3] }),
            },
        };
        try
        {
            await using var server = await InProcessServer.StartAsync(Portkey, new()
            {
                ["PORTKEY_MCP_POLICY"] = policy,
                ["PORTKEY_MCP_AUDIT_LOG"] = audit,
                ["PORTKEY_MCP_TOOLSETS"] = "all",
            }, options);

            var outcome = await RunGeneratedCallsAsync(server, 1000);

            Assert.Equal(1000, outcome.Results);
            Assert.Empty(outcome.Unexpected);
            // One audit line per call that reached the server's call path (the deeply nested ones do not parse).
            Assert.Equal(outcome.Results + outcome.DeepResults, File.ReadAllLines(audit).Length);
            // Every tool, less the hidden rotate_api_key (await_approval, offered because a rule asks, is in the catalogue).
            Assert.Equal(Catalog.Names.Count - 1, (await server.Client.ListToolsAsync(cancellationToken: Bounded.Token())).Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record Outcome(int Results, int Invalid, int DeepResults, IReadOnlyList<string> Unexpected);

    /// <summary>The beginnings of every error text a tool means to give.</summary>
    private static readonly string[] s_meantErrors =
        ["Invalid arguments for ", "[POLICY DENIED] ", "Portkey refused ", "Portkey did not answer ", "Could not reach Portkey", "Portkey answered ",
         "Portkey accepted ", "Portkey's answer "];

    /// <summary>
    /// Generated calls, then hostile nesting for every tool. Every generated call must come back as a tool result;
    /// a nesting deeper than JSON-RPC parsing allows may instead be refused as a parse error, and nothing else.
    /// </summary>
    private static async Task<Outcome> RunGeneratedCallsAsync(InProcessServer server, int iterations)
    {
        var tools = Catalog.Names.ToArray();
        var calls = Gen.Select(Gen.OneOf(tools), Gen.Select(Gen.OneOf(s_names), Value(3)).Array[0, 8].Select(Object));
        var results = 0;
        var invalid = 0;
        var unexpected = new List<string>();

        async Task CallAsync(string tool, JsonObject arguments)
        {
            var dictionary = arguments.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone());
            var result = await server.Client.CallToolAsync(tool, dictionary, cancellationToken: Bounded.Token());
            Interlocked.Increment(ref results);
            Assert.NotEmpty(result.Content);
            await server.AssertMatchesOutputSchemaAsync(tool, result);
            if (result.IsError == true)
            {
                var text = InProcessServer.Text(result);
                if (text.StartsWith("Invalid arguments for ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref invalid);
                }

                if (!s_meantErrors.Any(prefix => text.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    lock (unexpected)
                    {
                        unexpected.Add($"{tool}: {text}");
                    }
                }
            }
        }

        await Check.SampleAsync(calls, pair => CallAsync(pair.Item1, pair.Item2), iter: iterations, threads: 1);
        var deepResults = 0;
        foreach (var tool in tools)
        {
            try
            {
                var result = await server.Client.CallToolAsync(tool,
                    new Dictionary<string, object?> { ["default_metadata"] = Deep(60), ["id"] = Deep(60), ["slug"] = Deep(60) },
                    cancellationToken: Bounded.Token());
                Assert.True(result.IsError);
                deepResults++;
            }
            catch (McpProtocolException exception)
            {
                // Deeper than the JSON reader's limit: the message cannot be read, so it is answered as a parse error.
                Assert.Equal(McpErrorCode.ParseError, exception.ErrorCode);
            }
        }

        return new Outcome(results, invalid, deepResults, unexpected);
    }
}
