using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Approvals;
using PortkeyAdminMcp.Audit;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Policy;

/// <summary>A call the policy let through, holding its counter reservations until the call's outcome is known.</summary>
public sealed class Admission
{
    private readonly ICounterStore? _store;
    private IReadOnlyList<HeldCharge> _held;

    internal Admission(bool allowed, string decision, string? rule, string? message, ICounterStore? store, IReadOnlyList<HeldCharge> held)
    {
        Allowed = allowed;
        Decision = decision;
        Rule = rule;
        Message = message;
        _store = store;
        _held = held;
    }

    public bool Allowed { get; }

    /// <summary>One of <see cref="AuditDecisions"/>.</summary>
    public string Decision { get; }

    public string? Rule { get; }

    /// <summary>Why the call was refused: the text after <c>[POLICY DENIED]</c>.</summary>
    public string? Message { get; }

    public static Admission Open { get; } = new(true, AuditDecisions.Allowed, null, null, null, []);

    /// <summary>The require_approval rule this call still needs the user's yes for.</summary>
    public PolicyRule? PendingApproval { get; init; }

    internal Admission Approved(string rule) => new(true, AuditDecisions.Approved, rule, null, _store, _held);

    /// <summary>To be approved on the local page: not yet allowed, still holding its reservations until the page decides.</summary>
    internal Admission ToPage(PolicyRule rule) => new(false, AuditDecisions.Allowed, rule.Name, null, _store, _held) { OnPage = rule };

    /// <summary>Set when the rule's approval is to be asked on the local page.</summary>
    public PolicyRule? OnPage { get; private init; }

    /// <summary>Not approved: refused, still holding its reservations for the caller to give back.</summary>
    internal Admission Declined(string rule, string message) => new(false, AuditDecisions.Declined, rule, message, _store, _held);

    internal static Admission Refused(string decision, string? rule, string message) => new(false, decision, rule, message, null, []);

    /// <summary>Whether this admission still holds counter reservations.</summary>
    public bool HoldsQuota => _store is not null && Volatile.Read(ref _held).Count > 0;

    /// <summary>The call changed nothing upstream: give its quota back. Safe to call more than once.</summary>
    public async Task ReleaseAsync()
    {
        var held = Interlocked.Exchange(ref _held, []);
        if (_store is not null && held.Count > 0)
        {
            await _store.ReleaseAsync(held, CancellationToken.None);
        }
    }
}

/// <summary>
/// Applies the policy to one call: rules, then an atomic reservation of every counter, then (if a rule asks) the
/// user's approval through the client's own confirmation dialog. Every failure to decide refuses the call.
/// </summary>
public sealed partial class PolicyGuard(
    IOptions<PolicyOptions> options,
    IOptions<ApprovalOptions> approvalOptions,
    ICounterStore store,
    TimeProvider clock,
    SecretRegistry secrets,
    ILogger<PolicyGuard> logger)

{
    public const string DeniedPrefix = "[POLICY DENIED] ";

    public PolicySet Policy => options.Value.Policy;

    /// <summary>The rules alone, for a dry run: nothing reserved, nobody asked.</summary>
    public async Task<Admission> CheckAsync(string tool, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var (verdict, refusal) = await EvaluateAsync(tool, arguments, cancellationToken);
        return refusal ?? (verdict!.Kind == VerdictKind.Deny
            ? Admission.Refused(AuditDecisions.Denied, verdict.RuleName, verdict.Message!)
            : Admission.Open);
    }

    /// <summary>
    /// Rules, then every counter reserved at once. Before anything is read or sent upstream, so a refused call
    /// costs Portkey nothing. A call that needs approval comes back with <see cref="Admission.PendingApproval"/> set.
    /// </summary>
    public async Task<Admission> AdmitAsync(string tool, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var (verdict, refusal) = await EvaluateAsync(tool, arguments, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (verdict!.Kind == VerdictKind.Deny)
        {
            LogDenied(logger, tool, verdict.RuleName);
            return Admission.Refused(AuditDecisions.Denied, verdict.RuleName, verdict.Message!);
        }

        IReadOnlyList<HeldCharge> held = [];
        if (verdict.Charges.Count > 0)
        {
            ReserveOutcome outcome;
            try
            {
                // Never abandoned half-way: a reservation the store made after the caller stopped listening would be
                // spent by nobody. Every store bounds its own wait; a cancelled call gives back what it got, below.
                outcome = await store.ReserveAsync(verdict.Charges, clock.GetUtcNow(), CancellationToken.None);
            }
            catch (Exception exception)
            {
                return StoreUnavailable(tool, exception);
            }

            if (outcome.Granted && cancellationToken.IsCancellationRequested)
            {
                await store.ReleaseAsync(outcome.Held!, CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!outcome.Granted)
            {
                var charge = outcome.Refused!;
                LogDenied(logger, tool, charge.Rule.Name);
                return Admission.Refused(AuditDecisions.Denied, charge.Rule.Name, charge.Rule.HasOwnDenyMessage
                    ? charge.Rule.DenyMessage
                    : QuotaSpent(charge, clock.GetUtcNow()));
            }

            held = outcome.Held!;
        }

        return new Admission(true, AuditDecisions.Allowed, null, null, store, held)
        {
            PendingApproval = verdict.Kind == VerdictKind.NeedsApproval ? verdict.Rule : null,
        };
    }

    /// <summary>
    /// Asks the user, by the channel PORTKEY_MCP_APPROVAL chooses: the client's own dialog (elicitation) when it can show
    /// one, else (auto, browser) the local approval page, which the caller sets up from the returned
    /// <see cref="Admission.OnPage"/>. In the dialog, anything but an accept (decline, cancel, timeout, a client that cannot
    /// ask) refuses the call; the caller gives its quota back.
    /// </summary>
    /// <param name="describeRequest">The exact request the call will send, secrets masked.</param>
    public async Task<Admission> ApproveAsync(Admission admission, string tool, Func<string> describeRequest, McpServer? server, CancellationToken cancellationToken)
    {
        if (admission.PendingApproval is not { } rule)
        {
            return admission;
        }

        var channel = approvalOptions.Value.Channel;
        var clientCanAsk = server?.ClientCapabilities?.Elicitation is not null;
        if (channel == ApprovalOptions.Browser || (channel == ApprovalOptions.Auto && !clientCanAsk))
        {
            return admission.ToPage(rule);
        }

        var (approved, reason) = await AskAsync(tool, rule, describeRequest, server, cancellationToken);
        if (approved)
        {
            LogApproved(logger, tool, rule.Name);
            return admission.Approved(rule.Name);
        }

        LogDeclined(logger, tool, rule.Name, reason);
        return admission.Declined(rule.Name, reason);
    }

    private async Task<(PolicyVerdict? Verdict, Admission? Refusal)> EvaluateAsync(string tool, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var policy = Policy;
        if (policy.IsEmpty)
        {
            return (PolicyVerdict.Allowed, null);
        }

        IReadOnlyDictionary<string, long>? counters = null;
        var reads = policy.CountersReadBy(tool);
        if (reads.Count > 0)
        {
            try
            {
                counters = await store.ReadAsync([.. reads.Select(key => (key, policy.CounterWindows[key]))], clock.GetUtcNow(), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (null, StoreUnavailable(tool, exception));
            }
        }

        try
        {
            return (PolicyEvaluator.Evaluate(policy, tool, arguments.AsObject(), counters), null);
        }
        catch (RegexMatchTimeoutException)
        {
            return (null, Admission.Refused(AuditDecisions.Denied, null,
                "A regex condition of the policy took too long on this call's arguments, so the call could not be checked and was refused."));
        }
    }

    private Admission StoreUnavailable(string tool, Exception exception)
    {
        LogStoreFailed(logger, tool, store.Description, exception.GetType().Name, secrets.Scrub(exception.Message));
        return Admission.Refused(AuditDecisions.Denied, null,
            $"The policy's counters ({store.Description}) could not be read or updated, so the quota cannot be checked and the call was refused. Try again; the server log has the cause.");
    }

    private static string QuotaSpent(CounterCharge charge, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"Policy rule \"{charge.Rule.Name}\" allows {charge.Limit} per {PolicyLoader.WindowName(charge.Window)} and this {PolicyLoader.WindowName(charge.Window)}'s quota is spent. " +
        $"It resets at {CounterWindows.Resets(charge.Window, now):yyyy-MM-dd HH:mm:ss} UTC.");

    private async Task<(bool Approved, string Reason)> AskAsync(string tool, PolicyRule rule, Func<string> describeRequest, McpServer? server, CancellationToken cancellationToken)
    {
        var who = $"Policy rule \"{rule.Name}\" requires your approval for {tool}";
        if (server?.ClientCapabilities?.Elicitation is null)
        {
            return (false, $"{who}, but this MCP client cannot ask for it (it does not support elicitation) and PORTKEY_MCP_APPROVAL=elicitation rules out the local approval page. Nothing was sent.");
        }

        var prompt = new StringBuilder()
            .Append("Approve this Portkey change? ").Append(who).Append(".\n\n")
            .Append(describeRequest())
            .Append("\n\nNothing is sent unless you accept. This request expires in ").Append(Describe(rule.ApprovalTimeout)).Append('.')
            .ToString();
        Calls.CallRecord.Current?.SetApprovalChannel(ApprovalChannels.Elicitation);
        // The deadline runs on the server's clock, so tests can move it instead of waiting.
        using var timeout = new CancellationTokenSource(rule.ApprovalTimeout, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ElicitResult answer;
        try
        {
            // Not scrubbed as text: every part is the call's own (tool, method, URL), the policy's (rule name), or
            // already masked by field and by this call's secret values (the body).
            answer = await server.ElicitAsync(new ElicitRequestParams
            {
                Message = prompt,
                RequestedSchema = new ElicitRequestParams.RequestSchema(),
            }, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"{who}; nobody answered within {Describe(rule.ApprovalTimeout)}, so it timed out. Nothing was sent.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return (false, $"{who}; asking the client failed ({exception.GetType().Name}). Nothing was sent.");
        }

        return answer.Action switch
        {
            "accept" => (true, string.Empty),
            "decline" => (false, $"{who}; the user declined. Nothing was sent."),
            _ => (false, $"{who}; the user cancelled the prompt. Nothing was sent."),
        };
    }

    private static string Describe(TimeSpan span)
    {
        var (amount, unit) =
            span.TotalDays >= 1 && span.TotalDays % 1 == 0 ? (span.TotalDays, "d")
            : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? (span.TotalHours, "h")
            : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? (span.TotalMinutes, "min")
            : span.TotalSeconds >= 1 ? (span.TotalSeconds, "s")
            : (span.TotalMilliseconds, "ms");
        return string.Create(CultureInfo.InvariantCulture, $"{amount:0} {unit}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: refused by policy rule {Rule}; nothing sent")]
    private static partial void LogDenied(ILogger logger, string tool, string? rule);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: approved by the user under policy rule {Rule}")]
    private static partial void LogApproved(ILogger logger, string tool, string rule);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: not approved under policy rule {Rule}: {Reason}")]
    private static partial void LogDeclined(ILogger logger, string tool, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tool}: policy counter store {Store} failed ({Type}: {Reason}); call refused")]
    private static partial void LogStoreFailed(ILogger logger, string tool, string store, string type, string reason);
}
