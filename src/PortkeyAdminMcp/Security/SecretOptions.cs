using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PortkeyAdminMcp.Security;

/// <summary>Where one-time secrets go and which environment variables a provider-key reference may name.</summary>
public sealed partial class SecretOptions
{
    public const string OutputVariable = "PORTKEY_MCP_SECRET_OUTPUT";
    public const string DirectoryVariable = "PORTKEY_MCP_SECRET_DIR";
    public const string EnvAllowVariable = "PORTKEY_MCP_KEY_ENV_ALLOW";

    /// <summary>inline (the seed behaviour: the secret is in the result) or file.</summary>
    public string Output { get; set; } = "inline";

    public string Directory { get; set; } = DefaultDirectory();

    /// <summary>As written: comma-separated variable names.</summary>
    public string? EnvAllow { get; set; }

    public bool WritesFiles => Output == "file";

    public IReadOnlyList<string> AllowedEnvNames =>
        (EnvAllow ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string DefaultDirectory()
    {
        var config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        if (string.IsNullOrEmpty(config))
        {
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return Path.Combine(config, "portkey-admin-mcp", "secrets");
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    internal static partial Regex EnvName();
}

public sealed class SecretOptionsValidator(IOptions<Configuration.PortkeyOptions> portkey) : IValidateOptions<SecretOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretOptions options)
    {
        var failures = new List<string>();
        if (options.Output is not ("inline" or "file"))
        {
            failures.Add($"{SecretOptions.OutputVariable} must be inline or file (got '{options.Output}')");
        }

        if (options.WritesFiles && !Path.IsPathFullyQualified(options.Directory))
        {
            failures.Add($"{SecretOptions.DirectoryVariable} must be an absolute path (got '{options.Directory}')");
        }

        foreach (var env in options.AllowedEnvNames.Where(n => !SecretOptions.EnvName().IsMatch(n)))
        {
            failures.Add($"{SecretOptions.EnvAllowVariable} lists '{env}', which is not an environment variable name");
        }

        // A provider-key reference must never be able to send the server's own credentials anywhere.
        var apiKey = portkey.Value.ApiKey;
        foreach (var env in options.AllowedEnvNames.Where(n => SecretOptions.EnvName().IsMatch(n)))
        {
            if (env.StartsWith("PORTKEY_", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{SecretOptions.EnvAllowVariable} lists {env}: the server's own PORTKEY_* settings can never be sent as a provider key");
            }
            else if (!string.IsNullOrEmpty(apiKey) && Environment.GetEnvironmentVariable(env) is { } value && value.Contains(apiKey, StringComparison.Ordinal))
            {
                failures.Add($"{SecretOptions.EnvAllowVariable} lists {env}, which holds the value of {Configuration.PortkeyOptions.ApiKeyVariable}; the server's own key can never be sent as a provider key");
            }
        }

        if (options.WritesFiles && Path.IsPathFullyQualified(options.Directory) && SecretFileWriter.FolderProblem(options.Directory) is { } folder)
        {
            failures.Add($"{SecretOptions.DirectoryVariable}: {folder}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
