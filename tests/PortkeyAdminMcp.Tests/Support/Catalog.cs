using System.Text.Json;
using Json.Schema;
using PortkeyAdminMcp.Calls;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>
/// The server's own catalogue of tools, composed exactly as the server composes it: tests take the tool set from here
/// instead of listing names by hand.
/// </summary>
public static class Catalog
{
    private static readonly Lazy<ToolCatalog> s_catalog = new(ServerSetup.ComposeCatalog);

    public static ToolCatalog Tools => s_catalog.Value;

    public static IReadOnlyList<string> Names => [.. Tools.Names];

    /// <summary>
    /// The tools listed without a policy file or toolset setting: those of the default toolsets, less those offered only
    /// when a policy needs them (await_approval).
    /// </summary>
    public static IReadOnlyList<ToolDeclaration> ListedByDefault => [.. Tools.All.Where(t => t.OfferedWhen is null && Toolsets.Default.Contains(t.Toolset))];

    public static ToolDeclaration Tool(string name) => Tools.Find(name) ?? throw new ArgumentException($"no tool {name}", nameof(name));

    /// <summary>Asserts a successful result's structured content against a published output schema, with a real JSON Schema validator.</summary>
    public static void AssertMatchesSchema(string tool, JsonElement outputSchema, JsonElement structured)
    {
        var schema = JsonSchema.FromText(outputSchema.GetRawText());
        var result = schema.Evaluate(structured, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{tool} result does not match its published output schema: " +
            string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }
}
