using System.Text.Json.Nodes;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Portkey;

/// <summary>The small steps every mapping from arguments to a Portkey body takes.</summary>
public static class RequestBody
{
    public static JsonArray StringArray(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>Copies a string argument that was given (under another name when Portkey spells it differently).</summary>
    public static void CopyString(ToolArguments args, JsonObject body, string name, string? bodyName = null)
    {
        if (args.String(name) is { } value)
        {
            body[bodyName ?? name] = value;
        }
    }

    /// <summary>Copies a string that may be given as null (meaning: clear it).</summary>
    public static void CopyNullable(ToolArguments args, JsonObject body, string name, string? bodyName = null)
    {
        if (args.Has(name))
        {
            body[bodyName ?? name] = args.String(name);
        }
    }

    /// <summary>Copies any JSON argument as it was given (a map, a list), null included.</summary>
    public static void CopyJson(ToolArguments args, JsonObject body, string name, string? bodyName = null)
    {
        if (args.Has(name))
        {
            body[bodyName ?? name] = args.Get(name) is { } value ? JsonNode.Parse(value.GetRawText()) : null;
        }
    }
}
