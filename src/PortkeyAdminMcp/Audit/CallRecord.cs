namespace PortkeyAdminMcp.Audit;

/// <summary>
/// What happened during one tools/call, filled in along its path (policy decision, upstream statuses) and written
/// as one audit line when the call ends. Flows with the call's async context, so no tool has to pass it along.
/// </summary>
public sealed class CallRecord
{
    private static readonly AsyncLocal<CallRecord?> s_current = new();
    private readonly List<int> _statuses = [];
    private readonly Lock _gate = new();

    public CallRecord(string tool, DateTimeOffset started)
    {
        Tool = tool;
        Started = started;
    }

    /// <summary>The record of the call running in this async context, if anyone is recording.</summary>
    public static CallRecord? Current => s_current.Value;

    public string Tool { get; }

    public DateTimeOffset Started { get; }

    private readonly long _startTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();

    public TimeSpan Elapsed => System.Diagnostics.Stopwatch.GetElapsedTime(_startTimestamp);

    public string Decision { get; private set; } = AuditDecisions.Allowed;

    public string? Rule { get; private set; }

    public bool DryRun { get; set; }

    /// <summary>The status of Portkey's answer to the call's main request (a write, or the read).</summary>
    public int? UpstreamStatus { get; private set; }

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

    /// <summary>The request the call exists to send (set once planned); reads made to plan it do not count as its status.</summary>
    public object? MainRequest { get; set; }

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
}
