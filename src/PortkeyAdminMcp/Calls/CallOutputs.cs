using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PortkeyAdminMcp.Calls;

/// <summary>The request a write tool would send: method, URL, path, query and body, every secret masked.</summary>
public sealed class RequestPreview
{
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("url")] public required string Url { get; init; }
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("query")] public Dictionary<string, string>? Query { get; init; }
    [JsonPropertyName("body")] public JsonElement? Body { get; init; }

    /// <summary>What the request changes, read before sending (added, removed, changed); only where a tool computes it.</summary>
    [JsonPropertyName("changes")] public JsonElement? Changes { get; init; }
}

public sealed class DryRunResult
{
    [JsonPropertyName("dry_run")] public required bool IsDryRun { get; init; }
    [JsonPropertyName("request")] public required RequestPreview Request { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

/// <summary>
/// What a write tool returns when a human must approve it on the local page: the link to show them, the request they
/// will see, and when it expires. await_approval then gives the real result.
/// </summary>
public sealed class ApprovalRequired
{
    public const string StatusValue = "approval_required";

    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("approval_id")] public required string ApprovalId { get; init; }
    [JsonPropertyName("approval_url")] public required string ApprovalUrl { get; init; }
    [JsonPropertyName("expires_at")] public required string ExpiresAt { get; init; }
    [JsonPropertyName("rule")] public required string Rule { get; init; }
    [JsonPropertyName("request")] public required RequestPreview Request { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

/// <summary>What a delete returns.</summary>
public sealed class DeletedRecord
{
    [JsonPropertyName("deleted")] public required string Deleted { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
}

/// <summary>One page of a list, with what Portkey does not say: whether there is more, and which page is next.</summary>
public sealed class Page<T>
{
    [JsonPropertyName("total")] public required long Total { get; init; }
    [JsonPropertyName("current_page")] public required long CurrentPage { get; init; }
    [JsonPropertyName("page_size")] public long? PageSize { get; init; }
    [JsonPropertyName("has_more")] public required bool HasMore { get; init; }
    [JsonPropertyName("next_page")] public long? NextPage { get; init; }
    [JsonPropertyName("items")] public required IReadOnlyList<T> Items { get; init; }
}

/// <summary>Portkey gives a total and no cursor; whether more pages exist follows from page, size and total.</summary>
public static class Page
{
    public static Page<T> From<T>(IReadOnlyList<T> items, double? total, long? pageSize, long currentPage)
    {
        var count = (long)(total ?? items.Count);
        var seen = pageSize is { } size ? (currentPage * size) + items.Count : items.Count;
        var hasMore = seen < count && items.Count > 0;
        return new Page<T>
        {
            Total = count,
            CurrentPage = currentPage,
            PageSize = pageSize,
            HasMore = hasMore,
            NextPage = hasMore ? currentPage + 1 : null,
            Items = items,
        };
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DryRunResult))]
[JsonSerializable(typeof(ApprovalRequired))]
[JsonSerializable(typeof(DeletedRecord))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class CallsJsonContext : JsonSerializerContext;
