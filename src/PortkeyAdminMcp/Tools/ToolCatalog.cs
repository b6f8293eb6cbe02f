using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>
/// Which input contract and output schema belong to which tool. The SDK would derive an input schema from
/// method parameters; ours comes from the contract that also validates, so published and enforced rules are one.
/// </summary>
public static class ToolCatalog
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

    private sealed class SchemaSetup : IPostConfigureOptions<McpServerOptions>
    {
        public void PostConfigure(string? name, McpServerOptions options)
        {
            foreach (var tool in options.ToolCollection ?? [])
            {
                var protocolTool = tool.ProtocolTool;
                if (!Entries.TryGetValue(protocolTool.Name, out var entry))
                {
                    throw new InvalidOperationException($"Tool '{protocolTool.Name}' has no contract in the tool catalog.");
                }

                protocolTool.InputSchema = entry.Contract.Input.ToJsonElement();
                protocolTool.OutputSchema = entry.Output.ToJsonElement();
                // The title lives on the tool itself (MCP 2025-06-18); its copy in the annotations only costs context.
                if (protocolTool.Annotations is { } annotations)
                {
                    annotations.Title = null;
                }
            }
        }
    }

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
