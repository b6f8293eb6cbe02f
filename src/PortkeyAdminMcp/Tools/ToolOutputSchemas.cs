using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>
/// Output schemas, in the same schema language as the inputs so tests can check every structured result
/// against what the tool publishes. Objects allow extra properties: Portkey adds fields over time. Nested
/// records are published by type only: their shape is in the tool descriptions, and every byte here is paid
/// in each client's context window.
/// </summary>
public static class ToolOutputSchemas
{
    private static readonly StringSchema s_string = new();
    private static readonly NumberSchema s_number = new();
    private static readonly BooleanSchema s_boolean = new();
    private static readonly ObjectSchema s_object = new() { Extra = ExtraProperties.Allowed };

    public static readonly ObjectSchema DryRun = Object(
        ["dry_run", "request"],
        ("dry_run", s_boolean), ("request", s_object), ("message", s_string));

    public static readonly ObjectSchema ApiKey = Object(
        ["id"],
        ("id", s_string), ("name", s_string), ("description", s_string), ("masked_key", s_string),
        ("type", s_string), ("status", s_string), ("organisation_id", s_string), ("workspace_id", s_string),
        ("user_id", s_string), ("scopes", Array(s_string)), ("usage_limits", s_object), ("rate_limits", Array(s_object)),
        ("defaults", s_object), ("alert_emails", Array(s_string)), ("expires_at", s_string), ("expiry_enforced", s_boolean),
        ("rotation_policy", s_object), ("reset_usage", s_number), ("last_reset_at", s_string), ("next_usage_reset_at", s_string),
        ("created_at", s_string), ("last_updated_at", s_string), ("creation_mode", s_string));

    public static readonly ObjectSchema VirtualKey = Object(
        ["slug"],
        ("slug", s_string), ("id", s_string), ("name", s_string), ("note", s_string), ("provider", s_string),
        ("status", s_string), ("masked_key", s_string), ("workspace_id", s_string), ("workspace_name", s_string),
        ("integration_id", s_string), ("usage_limits", s_object), ("rate_limits", Array(s_object)),
        ("expires_at", s_string), ("reset_usage", s_number), ("last_reset_at", s_string), ("created_at", s_string),
        ("model_config", s_object));

    // key in inline mode; key_file, key_masked and key_sha256 in file mode.
    public static readonly Schema CreatedApiKey = OrDryRun(Object(
        ["id", "name", "type", "warning"],
        ("id", s_string), ("key", s_string), ("key_file", s_string), ("key_masked", s_string), ("key_sha256", s_string),
        ("name", s_string), ("type", s_string), ("warning", s_string)));

    public static readonly Schema RotatedApiKey = OrDryRun(Object(
        ["id", "warning"],
        ("id", s_string), ("key", s_string), ("key_file", s_string), ("key_masked", s_string), ("key_sha256", s_string),
        ("key_transition_expires_at", s_string), ("warning", s_string)));

    public static readonly Schema CreatedVirtualKey = OrDryRun(Object(
        ["slug", "name", "provider"],
        ("slug", s_string), ("name", s_string), ("provider", s_string), ("message", s_string)));

    public static readonly Schema UpdatedApiKey = OrDryRun(Object(
        ["message", "updated_fields"],
        ("message", s_string), ("updated_fields", Array(s_string)), ("api_key", s_object)));

    public static readonly Schema UpdatedVirtualKey = OrDryRun(Object(
        ["message", "updated_fields"],
        ("message", s_string), ("updated_fields", Array(s_string)), ("virtual_key", s_object)));

    public static readonly Schema Deleted = OrDryRun(Object(["deleted", "message"], ("deleted", s_string), ("message", s_string)));

    public static readonly ObjectSchema ApiKeyPage = Page();

    public static readonly ObjectSchema VirtualKeyPage = Page();

    private static ObjectSchema Page() => Object(
        ["total", "current_page", "has_more", "items"],
        ("total", s_number), ("current_page", s_number), ("page_size", s_number), ("has_more", s_boolean),
        ("next_page", s_number), ("items", Array(s_object)));

    private static AnyOfSchema OrDryRun(ObjectSchema result) => new() { Options = [result, DryRun] };

    private static ObjectSchema Object(string[] required, params (string Name, Schema Schema)[] properties) => new()
    {
        Properties = [.. properties.Select(p => new KeyValuePair<string, Schema>(p.Name, p.Schema))],
        Required = required,
        Extra = ExtraProperties.Allowed,
    };

    private static ArraySchema Array(Schema items) => new() { Items = items };
}
