using System.Globalization;
using System.Text.Json.Serialization;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Portkey;

/// <summary>One page of a list answer: <c>{object:"list", total, data:[…]}</c>.</summary>
public sealed class PageRecord<T>
{
    [JsonPropertyName("total")] public double? Total { get; set; }
    [JsonPropertyName("data")] public List<T>? Data { get; set; }
}

/// <summary>The paging query the list endpoints share: a page size, the page (0-based, as Portkey counts) and a workspace.</summary>
public static class PageQuery
{
    public static List<KeyValuePair<string, string>> From(ToolArguments args)
    {
        var query = new List<KeyValuePair<string, string>>();
        if (args.Integer("page_size") is { } size)
        {
            query.Add(new("page_size", size.ToString(CultureInfo.InvariantCulture)));
            query.Add(new("current_page", (args.Integer("current_page") ?? 0).ToString(CultureInfo.InvariantCulture)));
        }

        if (args.String("workspace_id") is { } workspace)
        {
            query.Add(new("workspace_id", workspace));
        }

        return query;
    }
}
