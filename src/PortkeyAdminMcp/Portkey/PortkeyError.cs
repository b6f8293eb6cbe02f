using System.Text.Json;

namespace PortkeyAdminMcp.Portkey;

/// <summary>An error answer from Portkey: status, Portkey's errorCode and message, and a hint for the agent.</summary>
public sealed record PortkeyError(int Status, string? Code, string Message)
{
    /// <summary>How long Portkey asked the caller to wait (429/503 Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public string? Hint => (Status, Code) switch
    {
        (401, _) or (_, "AB05") =>
            "Portkey did not accept the API key: check that PORTKEY_API_KEY holds a current Portkey API key (not a provider key) and that PORTKEY_BASE_URL points at the right control plane.",
        (403, _) or (_, "AB03") =>
            "The API key is not allowed to do this: it may lack the scope this call needs (for example workspace_service_api_keys.create), the endpoint may need an Enterprise plan, or the resource may not be in this key's workspace (Portkey also answers 403 for records it will not reveal).",
        (404, _) or (_, "AB08") or (_, "AB02") =>
            "Portkey found no such record: check the id or slug, and that it belongs to this organisation or workspace.",
        (409, _) or (_, "AB07") => "The record conflicts with an existing one or with its current state.",
        (402, _) or (_, "AB09") => "The Portkey subscription is exhausted or does not include this feature.",
        (429, _) or (_, "AB06") =>
            "Portkey is rate-limiting this API key. Wait before retrying (honour Retry-After when Portkey gives it); do not loop.",
        (400, _) or (_, "AB01") => "Portkey rejected the request body; the message says which field.",
        ( >= 500, _) => "Portkey had a server-side problem. A read can be retried shortly; check whether a create took effect before repeating it.",
        _ => null,
    };

    /// <summary>
    /// Reads Portkey's error body in any of its observed placements: <c>{data:{message,errorCode}}</c>,
    /// <c>{error:{message,code}}</c> or top-level fields; falls back to a short description of a non-JSON body.
    /// </summary>
    public static PortkeyError FromResponse(int status, string? body, string? reason)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    var holder = Child(root, "error") ?? Child(root, "data") ?? root;
                    var message = Text(holder, "message") ?? Text(root, "message") ?? Text(holder, "error");
                    var code = Text(holder, "errorCode") ?? Text(holder, "code") ?? Text(root, "errorCode");
                    if (message is not null || code is not null)
                    {
                        return new PortkeyError(status, code, Trim(message ?? reason ?? "no message"));
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (an HTML page from a proxy, say): described below.
            }

            var kind = body.TrimStart().StartsWith('<') ? "an HTML page" : "a non-JSON body";
            return new PortkeyError(status, null, $"{reason ?? "error"} ({kind} of {body.Length} characters, not shown)");
        }

        return new PortkeyError(status, null, reason ?? "no message");
    }

    private static JsonElement? Child(JsonElement element, string name) =>
        element.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>
    /// Only a bound on memory. The message is cut for display after it has been masked (ToolResults.Upstream):
    /// cutting first could leave the start of a secret that straddles the cut where masking no longer sees it.
    /// </summary>
    public const int MaxKeptCharacters = 64 * 1024;

    private static string Trim(string message) => message.Length > MaxKeptCharacters ? message[..MaxKeptCharacters] : message;
}
