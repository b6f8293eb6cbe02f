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

/// <summary>How an endpoint spells its paging parameters: most say page_size/current_page, the user endpoints pageSize/currentPage.</summary>
public enum PageNaming
{
    Snake,
    Camel,
}

/// <summary>The paging query the list endpoints share: a page size and the page (0-based, as Portkey counts), then filters.</summary>
public static class PageQuery
{
    /// <summary>Paging, and the workspace filter the key lists take.</summary>
    public static List<KeyValuePair<string, string>> From(ToolArguments args) => Filtered(args, PageNaming.Snake, null, "workspace_id");

    /// <summary>
    /// Paging, then each named argument as a filter of the same name (strings as given, numbers and booleans in JSON
    /// spelling). With <paramref name="alwaysSize"/> a page size is always sent, for endpoints whose own default is
    /// unusable (the member list's documented defaults are swapped: page 50 of size 0).
    /// </summary>
    public static List<KeyValuePair<string, string>> Filtered(ToolArguments args, PageNaming naming, long? alwaysSize, params string[] filters)
    {
        var query = new List<KeyValuePair<string, string>>();
        if ((args.Integer("page_size") ?? alwaysSize) is { } size)
        {
            var (sizeName, pageName) = naming == PageNaming.Camel ? ("pageSize", "currentPage") : ("page_size", "current_page");
            query.Add(new(sizeName, size.ToString(CultureInfo.InvariantCulture)));
            query.Add(new(pageName, (args.Integer("current_page") ?? 0).ToString(CultureInfo.InvariantCulture)));
        }

        return Filter(query, args, filters);
    }

    /// <summary>Adds each named argument that has a value as a query parameter.</summary>
    public static List<KeyValuePair<string, string>> Filter(List<KeyValuePair<string, string>> query, ToolArguments args, params string[] names)
    {
        foreach (var name in names)
        {
            if (args.Get(name) is not { } value)
            {
                continue;
            }

            var text = value.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => value.GetString(),
                System.Text.Json.JsonValueKind.True => "true",
                System.Text.Json.JsonValueKind.False => "false",
                // Canonical spelling: 1.0 and 1e0 are sent as 1.
                System.Text.Json.JsonValueKind.Number => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null)
            {
                query.Add(new(name, text));
            }
        }

        return query;
    }
}
