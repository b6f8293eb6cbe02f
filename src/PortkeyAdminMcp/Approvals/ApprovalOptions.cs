using System.Globalization;
using Microsoft.Extensions.Options;

namespace PortkeyAdminMcp.Approvals;

/// <summary>
/// How a <c>require_approval</c> rule asks the user: PORTKEY_MCP_APPROVAL (auto, elicitation or browser),
/// PORTKEY_MCP_APPROVAL_PORT (the page's fixed loopback port; free port by default), PORTKEY_MCP_APPROVAL_OPEN (open the
/// page in the user's browser).
/// </summary>
public sealed class ApprovalOptions
{
    public const string ChannelVariable = "PORTKEY_MCP_APPROVAL";
    public const string PortVariable = "PORTKEY_MCP_APPROVAL_PORT";
    public const string OpenVariable = "PORTKEY_MCP_APPROVAL_OPEN";

    /// <summary>The client's dialog when it can show one, else the local page.</summary>
    public const string Auto = "auto";

    /// <summary>Only the client's dialog: refused where the client cannot show one.</summary>
    public const string Elicitation = "elicitation";

    /// <summary>Always the local page.</summary>
    public const string Browser = "browser";

    public string? ChannelSetting { get; set; }

    public string? PortSetting { get; set; }

    public string? OpenSetting { get; set; }

    public string Channel => ChannelSetting?.Trim().ToLowerInvariant() is { Length: > 0 } channel ? channel : Auto;

    /// <summary>0 for a free port.</summary>
    public int Port => int.TryParse(PortSetting, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 0;

    public bool OpenBrowser => OpenSetting?.Trim().ToLowerInvariant() is "true" or "1";

    /// <summary>Whether an approval may be asked on the local page rather than in the client.</summary>
    public bool PageAllowed => Channel != Elicitation;
}

public sealed class ApprovalOptionsValidator : IValidateOptions<ApprovalOptions>
{
    public ValidateOptionsResult Validate(string? name, ApprovalOptions options)
    {
        var failures = new List<string>();
        if (options.Channel is not (ApprovalOptions.Auto or ApprovalOptions.Elicitation or ApprovalOptions.Browser))
        {
            failures.Add($"{ApprovalOptions.ChannelVariable} must be auto, elicitation or browser (got '{options.ChannelSetting}')");
        }

        if (!string.IsNullOrWhiteSpace(options.PortSetting) &&
            (!int.TryParse(options.PortSetting.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1024 or > 65535))
        {
            failures.Add($"{ApprovalOptions.PortVariable} must be a port from 1024 to 65535 (got '{options.PortSetting}')");
        }

        if (options.OpenSetting?.Trim().ToLowerInvariant() is { Length: > 0 } open && open is not ("true" or "1" or "false" or "0"))
        {
            failures.Add($"{ApprovalOptions.OpenVariable} must be true or false (got '{options.OpenSetting}')");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
