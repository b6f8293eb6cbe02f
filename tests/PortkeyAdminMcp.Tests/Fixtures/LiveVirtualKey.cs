namespace PortkeyAdminMcp.Tests.Fixtures;

/// <summary>Virtual-key answers as recorded from api.portkey.ai (reference §3.2, §3.3), elided parts filled in.</summary>
public static class LiveVirtualKey
{
    public const string Slug = "voyageai-prod";

    /// <summary>GET /virtual-keys/{slug}: ai_provider_name, masked_api_key, key "" , model_config {}, rate_limits [].</summary>
    public const string Get = """
        {"id":"b0800161-0000-4000-8000-000000000001","ai_provider_name":"voyage","model_config":{},"key":"","masked_api_key":"pa*****X7a","slug":"voyageai-prod",
         "name":"voyageai","usage_limits":null,"status":"active","note":"embeddings","created_at":"2026-05-02T12:31:48.000Z","expires_at":null,
         "last_reset_at":null,"rate_limits":[],"integration_id":"voyageai-prod","tags":null,"object":"virtual-key"}
        """;

    /// <summary>GET /virtual-keys: provider (not ai_provider_name), model_config and rate_limits null.</summary>
    public const string List = """
        {"object":"list","total":3,"data":[
         {"id":"c552bf32-952f-4c9b-84e5-1a660f5dada3","organisation_id":"02dc3530-7c3f-4c4e-9d52-0d1b0cbb8d11","name":"open-ai","note":"Created automatically on integration access grant",
          "status":"active","usage_limits":null,"reset_usage":null,"created_at":"2026-02-06T04:05:18.000Z","slug":"open-ai",
          "workspace_id":"6e5a9f93-ae3a-46b4-a87d-2464d373ef7e","model_config":null,"rate_limits":null,"expires_at":null,"last_reset_at":null,
          "integration_id":"open-ai","tags":null,"workspace_name":"Shared Team Workspace","provider":"openai","object":"virtual-key"},
         {"id":"c552bf32-952f-4c9b-84e5-1a660f5dada4","name":"bedrock","status":"exhausted","slug":"bedrock-1","provider":"bedrock",
          "model_config":{"awsRegion":"us-east-1","awsSecretAccessKey":"wJalrXUtnFEMI/K7MDENG"},"usage_limits":{"type":"cost","credit_limit":5.0,"alert_threshold":4.0},
          "object":"virtual-key"}]}
        """;
}
