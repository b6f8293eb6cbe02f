namespace PortkeyAdminMcp.Schemas;

/// <summary>
/// The facts of this server's configuration that published text may name, so an agent reads where a new secret goes
/// and which provider-key references it may use. Declarations state their text as functions of it (checked by the
/// compiler); it is applied once, when the tools are published.
/// </summary>
public sealed class ToolEnvironment
{
    public static ToolEnvironment Default { get; } = new(secretDirectory: null, allowedEnvNames: []);

    /// <param name="secretDirectory">Where one-time secrets are written, or null when they are returned inline.</param>
    /// <param name="allowedEnvNames">The variables a provider key may name as <c>${env:NAME}</c>.</param>
    /// <param name="mayAskOnPage">Whether a tool may answer approval_required (a rule asks, and the page may be used).</param>
    public ToolEnvironment(string? secretDirectory, IReadOnlyList<string> allowedEnvNames, Func<string, bool>? mayAskOnPage = null)
    {
        SecretDirectory = secretDirectory;
        AllowedEnvNames = allowedEnvNames;
        MayAskOnPage = mayAskOnPage ?? (_ => false);
    }

    public Func<string, bool> MayAskOnPage { get; }

    public string? SecretDirectory { get; }

    public IReadOnlyList<string> AllowedEnvNames { get; }

    /// <summary>How a new one-time secret reaches the user, as a sentence about <paramref name="subject"/> ("The secret").</summary>
    public string SecretDelivery(string subject) => SecretDirectory is { } directory
        ? $"{subject} is written to a new owner-only file under {directory} and never returned; the result has its path and SHA-256."
        : $"{subject} is returned only here and so enters the transcript: store it securely now.";

    /// <summary>The references a provider-key field accepts besides a literal key, as a sentence that follows its description.</summary>
    public string KeyReferences =>
        " Or ${secret:REFERENCE_ID#field} (a Portkey Secret Reference: no key is sent)" +
        (AllowedEnvNames.Count > 0 ? $", or ${{env:NAME}} for NAME in {string.Join(", ", AllowedEnvNames)}." : ".");
}
