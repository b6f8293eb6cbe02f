namespace PortkeyAdminMcp.Calls;

/// <summary>Refusal hints several tools share, so the same status reads the same everywhere.</summary>
public static class ToolHints
{
    /// <summary>An endpoint Portkey offers on Enterprise plans only: there a 403 is the plan before it is the key.</summary>
    public static IReadOnlyDictionary<int, string> EnterpriseOnly(string feature, string scope) => new Dictionary<int, string>
    {
        [403] = $"{feature} are a Portkey Enterprise feature: on other plans Portkey answers 403 whatever the key. " +
                $"On Enterprise, the key needs the {scope} scope (an Admin key for organisation-wide calls), and the record must be visible to it.",
    };

    /// <summary>An endpoint that needs an Admin (organisation) key with a given scope.</summary>
    public static IReadOnlyDictionary<int, string> AdminOnly(string scope) => new Dictionary<int, string>
    {
        [403] = $"This needs an Admin (organisation) API key with the {scope} scope; a workspace key is refused whatever its scopes.",
    };

    public static IReadOnlyDictionary<int, string> With(this IReadOnlyDictionary<int, string> hints, int status, string hint) =>
        new Dictionary<int, string>(hints) { [status] = hint };
}
