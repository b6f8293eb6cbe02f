using Microsoft.Extensions.Options;

namespace PortkeyAdminMcp.Policy;

/// <summary>PORTKEY_MCP_READ_ONLY: the tools that can change Portkey are neither listed nor callable.</summary>
public sealed class AccessOptions
{
    public const string ReadOnlyVariable = "PORTKEY_MCP_READ_ONLY";

    /// <summary>As written; "true"/"1" turn read-only mode on, "false"/"0"/unset leave it off.</summary>
    public string? ReadOnlySetting { get; set; }

    public bool ReadOnly => ReadOnlySetting?.Trim().ToLowerInvariant() is "true" or "1";
}

public sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options) =>
        options.ReadOnlySetting is null || options.ReadOnlySetting.Trim().ToLowerInvariant() is "true" or "1" or "false" or "0" or ""
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AccessOptions.ReadOnlyVariable} must be true or false (got '{options.ReadOnlySetting}')");
}
