using System.Text.Json;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Calls;

/// <summary>
/// What happened during one tools/call, filled in along its path (arguments as judged, policy decision, every
/// Portkey exchange) and written as one audit line when the call ends. Flows with the call's async context, so
/// the HTTP client can note what reached Portkey without every tool passing it along.
/// </summary>
public sealed class CallRecord
{
    private static readonly AsyncLocal<CallRecord?> s_current = new();
    private readonly List<int> _statuses = [];
    private readonly List<string> _writes = [];
    private readonly Lock _gate = new();
    private readonly long _startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();

    public CallRecord(string tool, DateTimeOffset started)
    {
        Tool = tool;
        Started = started;
    }

    /// <summary>The record of the call running in this async context, if anyone is recording.</summary>
    public static CallRecord? Current => s_current.Value;

    /// <summary>The tool name exactly as the client sent it.</summary>
    public string Tool { get; }

    public DateTimeOffset Started { get; }

    public TimeSpan Elapsed => System.Diagnostics.Stopwatch.GetElapsedTime(_startTimestamp);

    public string Decision { get; private set; } = AuditDecisions.Allowed;

    public string? Rule { get; private set; }

    public bool DryRun { get; set; }

    /// <summary>The call's own secrets: they mask this call's outputs and no other's.</summary>
    public CallSecrets Secrets { get; } = new();

    /// <summary>The arguments as the policy judged them and the request carries them, secrets masked; set by the tool runner.</summary>
    public JsonElement? Arguments { get; set; }

    /// <summary>The one secret this call's result delivers on purpose (a new key's secret, inline mode).</summary>
    public string? DeliveredSecret { get; set; }

    /// <summary>How the user was asked, when a rule required approval: one of <see cref="ApprovalChannels"/>.</summary>
    public string? ApprovalChannel { get; private set; }

    public void SetApprovalChannel(string channel) => ApprovalChannel = channel;

    /// <summary>Set when the call waits for a human on the approval page: its line is written when that is decided.</summary>
    public bool AuditDeferred { get; private set; }

    public void DeferAudit() => AuditDeferred = true;

    /// <summary>kept, returned or none: what became of the quota this call reserved.</summary>
    public string? Quota { get; private set; }

    public string? QuotaReason { get; private set; }

    /// <summary>The status of Portkey's answer to the call's main request (a write, or the read).</summary>
    public int? UpstreamStatus { get; private set; }

    /// <summary>The request the call exists to send (set once planned); reads made to plan it do not count as its status.</summary>
    public object? MainRequest { get; set; }

    public IReadOnlyList<int> UpstreamStatuses
    {
        get
        {
            lock (_gate)
            {
                return [.. _statuses];
            }
        }
    }

    /// <summary>
    /// True once a write may have changed Portkey: it was answered 2xx, 3xx or 5xx, it timed out or broke off after
    /// it was sent, or any earlier attempt of it did. Only a write that never left (no connection) or that Portkey
    /// answered with a 4xx is known to have changed nothing.
    /// </summary>
    public bool MayHaveChangedPortkey
    {
        get
        {
            lock (_gate)
            {
                return _writes.Count > 0;
            }
        }
    }

    /// <summary>Why the call may have changed Portkey, for the audit line (e.g. "POST /api-keys/... timed out").</summary>
    public string? ChangeEvidence
    {
        get
        {
            lock (_gate)
            {
                return _writes.Count > 0 ? string.Join("; ", _writes) : null;
            }
        }
    }

    public static IDisposable Begin(CallRecord record)
    {
        var previous = s_current.Value;
        s_current.Value = record;
        return new Restore(previous);
    }

    public void Decide(string decision, string? rule)
    {
        Decision = decision;
        Rule = rule;
    }

    public void Upstream(object request, int status)
    {
        lock (_gate)
        {
            _statuses.Add(status);
        }

        if (ReferenceEquals(request, MainRequest))
        {
            UpstreamStatus = status;
        }
    }

    /// <summary>A write that may have changed Portkey, and how we know.</summary>
    public void MayHaveWritten(string evidence)
    {
        lock (_gate)
        {
            _writes.Add(evidence);
        }
    }

    public void SettleQuota(string disposition, string? reason)
    {
        Quota = disposition;
        QuotaReason = reason;
    }

    private sealed class Restore(CallRecord? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}

public static class AuditDecisions
{
    public const string Allowed = "allowed";
    public const string Denied = "denied";
    public const string Approved = "approved";
    public const string Declined = "declined";

    /// <summary>Arguments failed validation, or no such tool: refused before any policy was asked.</summary>
    public const string Invalid = "invalid";

    /// <summary>The client cancelled the call, or went away, before it finished.</summary>
    public const string Cancelled = "cancelled";
}

public static class ApprovalChannels
{
    /// <summary>The client's own dialog (MCP elicitation).</summary>
    public const string Elicitation = "elicitation";

    /// <summary>The server's local approval page.</summary>
    public const string Browser = "browser";
}

public static class QuotaDispositions
{
    /// <summary>The call reserved nothing (no counter applies, a dry run, or refused before reserving).</summary>
    public const string None = "none";

    public const string Kept = "kept";

    public const string Returned = "returned";
}
