using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>
/// Which input contract and output schema belong to which tool. The SDK would derive an input schema from
/// method parameters; ours comes from the contract that also validates, so published and enforced rules are one.
/// </summary>
public static partial class ToolCatalog
{
    public static readonly IReadOnlyDictionary<string, (ToolContract Contract, Schema Output)> Entries =
        new Dictionary<string, (ToolContract, Schema)>(StringComparer.Ordinal)
        {
            [ApiKeyContracts.Create.Name] = (ApiKeyContracts.Create, ToolOutputSchemas.CreatedApiKey),
            [ApiKeyContracts.Update.Name] = (ApiKeyContracts.Update, ToolOutputSchemas.UpdatedApiKey),
            [ApiKeyContracts.Get.Name] = (ApiKeyContracts.Get, ToolOutputSchemas.ApiKey),
            [ApiKeyContracts.List.Name] = (ApiKeyContracts.List, ToolOutputSchemas.ApiKeyPage),
            [ApiKeyContracts.Delete.Name] = (ApiKeyContracts.Delete, ToolOutputSchemas.Deleted),
            [ApiKeyContracts.Rotate.Name] = (ApiKeyContracts.Rotate, ToolOutputSchemas.RotatedApiKey),
            [VirtualKeyContracts.Create.Name] = (VirtualKeyContracts.Create, ToolOutputSchemas.CreatedVirtualKey),
            [VirtualKeyContracts.Get.Name] = (VirtualKeyContracts.Get, ToolOutputSchemas.VirtualKey),
            [VirtualKeyContracts.List.Name] = (VirtualKeyContracts.List, ToolOutputSchemas.VirtualKeyPage),
            [VirtualKeyContracts.Update.Name] = (VirtualKeyContracts.Update, ToolOutputSchemas.UpdatedVirtualKey),
            [VirtualKeyContracts.Delete.Name] = (VirtualKeyContracts.Delete, ToolOutputSchemas.Deleted),
        };

    public static IMcpServerBuilder WithToolCatalog(this IMcpServerBuilder builder)
    {
        builder.Services.AddSingleton<IPostConfigureOptions<McpServerOptions>, SchemaSetup>();
        return builder;
    }

    /// <summary>
    /// Publishes each tool's schemas, and adapts descriptions to this server's configuration, so the agent
    /// knows where a new secret goes and which references it may use.
    /// </summary>
    private sealed class SchemaSetup(IOptions<SecretOptions> secretOptions) : IPostConfigureOptions<McpServerOptions>
    {
        public void PostConfigure(string? name, McpServerOptions options)
        {
            var secrets = secretOptions.Value;
            foreach (var tool in options.ToolCollection ?? [])
            {
                var protocolTool = tool.ProtocolTool;
                if (!Entries.TryGetValue(protocolTool.Name, out var entry))
                {
                    throw new InvalidOperationException($"Tool '{protocolTool.Name}' has no contract in the tool catalog.");
                }

                protocolTool.Description = Describe(protocolTool.Description, secrets);
                protocolTool.InputSchema = entry.Contract.Input.Find("key") is StringSchema { Sensitive: true }
                    ? WithKeyReferences(entry.Contract.Input.ToJsonElement(), secrets)
                    : entry.Contract.Input.ToJsonElement();
                protocolTool.OutputSchema = entry.Output.ToJsonElement();
                // The title lives on the tool itself (MCP 2025-06-18); its copy in the annotations only costs context.
                if (protocolTool.Annotations is { } annotations)
                {
                    annotations.Title = null;
                }
            }
        }
    }

    private static string? Describe(string? description, SecretOptions secrets) =>
        description is null || !secrets.WritesFiles
            ? description
            : SecretReturned().Replace(description,
                $"$1 is written to a new owner-only file under {secrets.Directory} and never returned; the result has its path and SHA-256.");

    private static JsonElement WithKeyReferences(JsonElement schema, SecretOptions secrets)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        var key = node["properties"]!["key"]!;
        var allowed = secrets.AllowedEnvNames;
        key["description"] = $"{key["description"]?.GetValue<string>()} Or ${{secret:REFERENCE_ID#field}} (a Portkey Secret Reference: no key is sent)" +
            (allowed.Count > 0 ? $", or ${{env:NAME}} for NAME in {string.Join(", ", allowed)}." : ".");
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    [GeneratedRegex(@"(The (?:new )?secret) is returned only here and so enters the transcript: store it securely now\.")]
    private static partial Regex SecretReturned();

    /// <summary>Serializer options for the tool classes: the SDK's, with our contracts first (reflection is off).</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateSerializerOptions();

    private static JsonSerializerOptions CreateSerializerOptions()
    {
        var options = new JsonSerializerOptions(ModelContextProtocol.McpJsonUtilities.DefaultOptions);
        options.TypeInfoResolverChain.Insert(0, ToolJsonContext.Default);
        options.MakeReadOnly();
        return options;
    }
}
