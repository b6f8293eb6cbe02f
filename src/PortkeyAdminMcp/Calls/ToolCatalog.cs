using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Calls;

/// <summary>
/// Every tool this server has, from the registered declarations: what the policy loader checks names against, what
/// the audit masks arguments by, and what is published. Published tools are built once, on first use.
/// </summary>
/// <param name="services">Where the environment for published text comes from, on first publication: the policy's options
/// read this catalogue for its names, so the catalogue must not need them to be built.</param>
public sealed class ToolCatalog(IEnumerable<ToolDeclaration> declarations, IServiceProvider services)
{
    private readonly Dictionary<string, ToolDeclaration> _tools = declarations.ToDictionary(d => d.Name, StringComparer.Ordinal);

    private ToolEnvironment Environment => services.GetRequiredService<ToolEnvironment>();

    public IReadOnlyCollection<ToolDeclaration> All => _tools.Values;

    public IEnumerable<string> Names => _tools.Keys;

    public ToolDeclaration? Find(string name) => _tools.GetValueOrDefault(name);

    /// <summary>Each tool's name and argument names, which a policy file may refer to.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> ArgumentNames() =>
        _tools.ToDictionary(t => t.Key, t => (IReadOnlySet<string>)t.Value.Input.ArgumentNames.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    private readonly Dictionary<string, Tool> _published = new(StringComparer.Ordinal);
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// The tool as the SDK registers it: name, title, annotations and description now; its schemas only when it is
    /// first listed or called (<see cref="Complete"/>). The SDK reads every registered tool at start-up, and generating
    /// 63 input and output schemas there cost about 30 ms of start-up (AOT) whatever the toolsets.
    /// </summary>
    public Tool Publish(string name)
    {
        var declaration = _tools[name];
        var tool = new Tool
        {
            Name = declaration.Name,
            // The title lives on the tool itself (MCP 2025-06-18); a copy in the annotations would only cost context.
            Title = declaration.Title,
            Description = declaration.Description(Environment),
            Annotations = declaration.Annotations,
        };
        lock (_gate)
        {
            _published[name] = tool;
        }

        return tool;
    }

    /// <summary>
    /// Gives a published tool its schemas — input with this configuration's text, output generated from its type —
    /// once, before it is listed or called.
    /// </summary>
    public void Complete(string name)
    {
        lock (_gate)
        {
            if (!_published.TryGetValue(name, out var tool) || !_completed.Add(name))
            {
                return;
            }

            var declaration = _tools[name];
            var environment = Environment;
            tool.InputSchema = declaration.Input.Input.ToJsonElement(environment);
            tool.OutputSchema = OutputSchemas.For(declaration, environment.MayAskOnPage(declaration.Name));
        }
    }
}

/// <summary>
/// Output schemas generated from the output types' source-generated contracts (AOT-safe), not written by hand.
/// Shaped for the context window every client pays for: nested records are published by type only (their shape
/// is in the tool descriptions), and a property is never null because results omit nulls.
/// </summary>
public static class OutputSchemas
{
    private static readonly JsonSchemaExporterOptions s_exporter = new() { TreatNullObliviousAsNonNullable = true };

    private static readonly Lazy<JsonNode> s_dryRun = new(() => Shallow(JsonSchemaExporter.GetJsonSchemaAsNode(CallsJsonContext.Default.DryRunResult, s_exporter), 0));

    private static readonly Lazy<JsonNode> s_approvalRequired = new(() => Shallow(JsonSchemaExporter.GetJsonSchemaAsNode(CallsJsonContext.Default.ApprovalRequired, s_exporter), 0));

    /// <summary>
    /// A write tool's result is its outcome or, with dry_run, the request it would send; where a rule may ask a human on
    /// the local page, also the approval_required answer.
    /// </summary>
    public static JsonElement For(ToolDeclaration declaration, bool mayAskOnPage)
    {
        var result = Shallow(JsonSchemaExporter.GetJsonSchemaAsNode(declaration.OutputType, s_exporter), 0);
        JsonNode schema = result;
        if (declaration.CanDryRun)
        {
            var shapes = new JsonArray(result, s_dryRun.Value.DeepClone());
            if (mayAskOnPage)
            {
                shapes.Add(s_approvalRequired.Value.DeepClone());
            }

            schema = new JsonObject { ["type"] = "object", ["anyOf"] = shapes };
        }

        return JsonSerializer.SerializeToElement(schema, CallsJsonContext.Default.JsonNode);
    }

    public static JsonElement For(JsonTypeInfo type) =>
        JsonSerializer.SerializeToElement(Shallow(JsonSchemaExporter.GetJsonSchemaAsNode(type, s_exporter), 0), CallsJsonContext.Default.JsonNode);

    /// <summary>The top level in full; below it, each property's type only (and an array's item type).</summary>
    private static JsonObject Shallow(JsonNode node, int depth)
    {
        if (node is not JsonObject schema)
        {
            // "true" (any value, a JsonElement): published as an empty schema.
            return new JsonObject();
        }

        var type = Type(schema);
        var result = new JsonObject();
        if (type is not null)
        {
            result["type"] = type;
        }

        if (type == "array" && schema["items"] is { } items)
        {
            result["items"] = Shallow(items, depth + 1);
        }

        if (type == "object" && depth == 0)
        {
            var properties = new JsonObject();
            foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
            {
                properties[name] = Shallow(property!, depth + 1);
            }

            result["properties"] = properties;
            if (schema["required"] is JsonArray required && required.Count > 0)
            {
                result["required"] = required.DeepClone();
            }
        }

        return result;
    }

    /// <summary>
    /// One JSON type: a nullable ["string","null"] is published as "string", since results never carry null; a number
    /// its contract would also read from a string (["string","number"]) as the number it is written as.
    /// </summary>
    private static string? Type(JsonObject schema) => schema["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types when types.Select(t => t!.GetValue<string>()).ToList() is var names =>
            names.FirstOrDefault(t => t is "integer" or "number") ?? names.FirstOrDefault(t => t != "null"),
        _ => null,
    };
}
