namespace PortkeyAdminMcp.Tests.Fixtures;

/// <summary>GET /api-keys/{id} as recorded from api.portkey.ai (reference §2.3), elided parts filled in.</summary>
public static class LiveApiKey
{
    public const string Id = "60571396-bd81-4e58-8c82-4858930ede0b";

    public const string Json = """
        {"id":"60571396-bd81-4e58-8c82-4858930ede0b","key":"z1*****3AX","name":"gira-app","description":"Gira backend","type":"workspace-service",
         "organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11","workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","user_id":null,"status":"active",
         "created_at":"2026-05-03T17:08:55.000Z","last_updated_at":"2026-05-03T17:08:55.000Z","creation_mode":"api",
         "rate_limits":[],"usage_limits":null,"reset_usage":null,"expires_at":null,"last_reset_at":null,
         "expiry_enforced":0,"next_usage_reset_at":null,"allow_config_override":null,"api_key_defaults_id":null,
         "scopes":["prompts.render","prompts.read","completions.write"],"defaults":{"metadata":null,"config_id":null,"allow_config_override":false},"object":"api-key"}
        """;

    /// <summary>The live record with some fields replaced, e.g. <c>With("\"status\":\"active\"", "\"status\":\"expired\"")</c>.</summary>
    public static string With(string original, string replacement)
    {
        Assert.Contains(original, Json, StringComparison.Ordinal);
        return Json.Replace(original, replacement, StringComparison.Ordinal);
    }
}
