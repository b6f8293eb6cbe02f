using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Security;
using StackExchange.Redis;

namespace PortkeyAdminMcp.Policy;

/// <summary>PORTKEY_MCP_POLICY, PORTKEY_MCP_POLICY_STATE: the policy file, read and checked once at start-up, and where its counters live.</summary>
public sealed class PolicyOptions
{
    public const string PolicyVariable = "PORTKEY_MCP_POLICY";
    public const string StateVariable = "PORTKEY_MCP_POLICY_STATE";

    public string? PolicyPath { get; set; }

    public string? StateSetting { get; set; }

    /// <summary>The parsed policy; <see cref="PolicySet.AllowAll"/> without a file.</summary>
    public PolicySet Policy { get; set; } = PolicySet.AllowAll;

    public IReadOnlyList<PolicyProblem> Problems { get; set; } = [];
}

public sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var failures = new List<string>();
        if (options.Problems.Count > 0)
        {
            failures.Add($"{PolicyOptions.PolicyVariable}: {PolicyLoader.Describe(options.PolicyPath!, options.Problems)}");
        }

        if (CounterStores.Check(options.StateSetting) is { } problem)
        {
            failures.Add($"{PolicyOptions.StateVariable}: {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Turns PORTKEY_MCP_POLICY_STATE into a counter store: memory (default), sqlite:&lt;path&gt;, redis://[user:password@]host[:port][/db].</summary>
public static class CounterStores
{
    public static string? Check(string? setting)
    {
        var value = setting?.Trim();
        if (string.IsNullOrEmpty(value) || value == "memory")
        {
            return null;
        }

        if (value.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            // Opened for real at start-up: an unusable path is one line now, not a refusal of every call later.
            return value.Length > "sqlite:".Length
                ? SqliteCounterStore.Probe(value["sqlite:".Length..])
                : "sqlite: needs a file path, e.g. sqlite:/var/lib/portkey-mcp/counters.db";
        }

        if (value.StartsWith("redis://", StringComparison.Ordinal) || value.StartsWith("rediss://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && (uri.AbsolutePath is "/" or "" || int.TryParse(uri.AbsolutePath.Trim('/'), out _))
                ? null
                : "must look like redis://host:port (optionally redis://user:password@host:port/db)";
        }

        return $"must be memory, sqlite:<path> or redis://host:port, got '{Describe(value)}'";
    }

    public static ICounterStore Create(string? setting, SecretRegistry secrets)
    {
        var value = setting?.Trim();
        if (string.IsNullOrEmpty(value) || value == "memory")
        {
            return new MemoryCounterStore();
        }

        if (value.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            return new SqliteCounterStore(value["sqlite:".Length..]);
        }

        var uri = new Uri(value);
        var configuration = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = 2000,
            SyncTimeout = 2000,
            AsyncTimeout = 2000,
            ConnectRetry = 1,
            Ssl = uri.Scheme == "rediss",
            ClientName = "portkey-admin-mcp",
        };
        configuration.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            var user = Uri.UnescapeDataString(parts[0]);
            var password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
            configuration.User = user.Length > 0 ? user : null;
            configuration.Password = password;
            secrets.AddServerSecret(password);
        }

        if (int.TryParse(uri.AbsolutePath.Trim('/'), out var database))
        {
            configuration.DefaultDatabase = database;
        }

        return new RedisCounterStore(configuration, Describe(value));
    }

    /// <summary>The setting without any password, for messages.</summary>
    public static string Describe(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? value.Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal)
            : value;
}
