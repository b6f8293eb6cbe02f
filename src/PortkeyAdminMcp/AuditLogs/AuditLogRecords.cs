using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.AuditLogs;

/// <summary>GET /audit-logs answers {records, total, object:"analytics-graph"} — records, not data (reference §11).</summary>
public sealed class AuditLogPageRecord
{
    [JsonPropertyName("total")] public double? Total { get; set; }
    [JsonPropertyName("records")] public List<AuditLogRecord>? Records { get; set; }
}

/// <summary>One record as Portkey sends it: request_body, query_params and request_headers are JSON strings.</summary>
public sealed class AuditLogRecord
{
    [JsonPropertyName("timestamp")] public string? Timestamp { get; set; }
    [JsonPropertyName("method")] public string? Method { get; set; }
    [JsonPropertyName("uri")] public string? Uri { get; set; }
    [JsonPropertyName("request_id")] public string? RequestId { get; set; }
    [JsonPropertyName("request_body")] public JsonElement? RequestBody { get; set; }
    [JsonPropertyName("query_params")] public JsonElement? QueryParams { get; set; }
    [JsonPropertyName("request_headers")] public JsonElement? RequestHeaders { get; set; }
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    [JsonPropertyName("user_type")] public string? UserType { get; set; }
    [JsonPropertyName("organisation_id")] public string? OrganisationId { get; set; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; set; }
    [JsonPropertyName("response_status_code")] public double? ResponseStatusCode { get; set; }
    [JsonPropertyName("resource_type")] public string? ResourceType { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("client_ip")] public string? ClientIp { get; set; }
    [JsonPropertyName("country")] public string? Country { get; set; }
}

/// <summary>
/// One audit-log entry as the tool shows it. The request's body, query and headers are parsed from Portkey's JSON
/// strings and masked: a body field whose name says it holds a credential, and every header but a few harmless ones.
/// </summary>
public sealed partial class AuditLogEntry
{
    [JsonPropertyName("timestamp")] public string? Timestamp { get; init; }
    [JsonPropertyName("method")] public string? Method { get; init; }
    [JsonPropertyName("uri")] public string? Uri { get; init; }
    [JsonPropertyName("request_id")] public string? RequestId { get; init; }
    [JsonPropertyName("user_id")] public string? UserId { get; init; }
    [JsonPropertyName("user_type")] public string? UserType { get; init; }
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [JsonPropertyName("response_status_code")] public int? ResponseStatusCode { get; init; }
    [JsonPropertyName("resource_type")] public string? ResourceType { get; init; }
    [JsonPropertyName("action")] public string? Action { get; init; }
    [JsonPropertyName("client_ip")] public string? ClientIp { get; init; }
    [JsonPropertyName("country")] public string? Country { get; init; }
    [JsonPropertyName("request_body")] public JsonElement? RequestBody { get; init; }
    [JsonPropertyName("query_params")] public JsonElement? QueryParams { get; init; }
    [JsonPropertyName("request_headers")] public JsonElement? RequestHeaders { get; init; }

    /// <summary>Headers that carry no credential; every other header's value is masked, whatever its name.</summary>
    private static readonly HashSet<string> s_plainHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "accept", "accept-encoding", "accept-language", "content-type", "content-length", "host", "user-agent", "origin", "referer",
        "x-forwarded-for", "x-forwarded-proto", "x-real-ip", "x-request-id", "x-portkey-workspace", "traceparent",
    };

    /// <summary>An embedded JSON string longer than this is not parsed, and so not shown.</summary>
    private const int MaxParsedChars = 256 * 1024;

    public static AuditLogEntry From(AuditLogRecord record) => new()
    {
        Timestamp = record.Timestamp,
        Method = record.Method,
        Uri = record.Uri,
        RequestId = record.RequestId,
        UserId = record.UserId,
        UserType = record.UserType,
        WorkspaceId = record.WorkspaceId,
        ResponseStatusCode = record.ResponseStatusCode is { } status and >= 0 and <= 999 ? (int)status : null,
        ResourceType = record.ResourceType,
        Action = record.Action,
        ClientIp = record.ClientIp,
        Country = record.Country,
        RequestBody = Embedded(record.RequestBody, MaskBody),
        QueryParams = Embedded(record.QueryParams, MaskBody),
        RequestHeaders = Embedded(record.RequestHeaders, MaskHeaders),
    };

    /// <summary>Portkey sends these as JSON strings (sometimes as objects): parsed when they are JSON, then masked.</summary>
    private static JsonElement? Embedded(JsonElement? value, Func<JsonElement, JsonElement> mask)
    {
        if (value is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return mask(element);
        }

        var text = element.GetString()!;
        if (text.Length <= MaxParsedChars && text.TrimStart() is ['{' or '[', ..])
        {
            try
            {
                using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
                return mask(document.RootElement);
            }
            catch (JsonException)
            {
                // Not JSON after all (or cut short by Portkey): masked whole below.
            }
        }

        // Text that cannot be read field by field cannot be masked field by field: none of it is shown.
        return text.Length == 0 ? value : JsonValues.String(SecretRegistry.Mask);
    }

    private static JsonElement MaskBody(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => JsonValues.Object(value.EnumerateObject().Select(member => new KeyValuePair<string, JsonElement>(member.Name,
            SecretField().IsMatch(member.Name) && member.Value.ValueKind is not JsonValueKind.Null ? JsonValues.String(SecretRegistry.Mask) : MaskBody(member.Value)))),
        JsonValueKind.Array => JsonValues.Array(value.EnumerateArray().Select(MaskBody)),
        _ => value.Clone(),
    };

    private static JsonElement MaskHeaders(JsonElement value) => value.ValueKind == JsonValueKind.Object
        ? JsonValues.Object(value.EnumerateObject().Select(member => new KeyValuePair<string, JsonElement>(member.Name,
            s_plainHeaders.Contains(member.Name) ? member.Value.Clone() : JsonValues.String(SecretRegistry.Mask))))
        : JsonValues.String(SecretRegistry.Mask);

    /// <summary>
    /// Names that hold credentials in Portkey's request bodies: keys, tokens, secrets, passwords, credentials, and the
    /// objects that carry provider credentials whole (configurations, auth_config, model_config, service accounts).
    /// </summary>
    [GeneratedRegex("key|token|secret|password|credential|authorization|cookie|private|service_account|configurations|auth_config|model_config",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretField();
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditLogPageRecord))]
[JsonSerializable(typeof(Page<AuditLogEntry>))]
internal sealed partial class AuditLogsJsonContext : JsonSerializerContext;
