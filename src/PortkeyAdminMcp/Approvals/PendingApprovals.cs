using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Policy;

namespace PortkeyAdminMcp.Approvals;

public enum ApprovalState
{
    Pending,
    Approved,
    Declined,
    Expired,
    Abandoned,
}

/// <summary>What an approved call's send produced: its result, and the one-time secret it may hand to the agent once.</summary>
public sealed record SentCall(CallToolResult Result, string? DeliveredSecret);

/// <summary>
/// One call waiting for a human on the local approval page: the exact request the human is shown is the only one its
/// approval can send, once. It survives nothing: a restart forgets it, and its quota is given back.
/// </summary>
public sealed class PendingApproval
{
    private readonly Lock _gate = new();
    private readonly List<string> _nonces = [];
    private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<CancellationToken, Task<SentCall>> _send;
    private readonly Func<string, Task> _refuse;
    private ITimer? _expiry;
    private string? _deliveredSecret;

    internal PendingApproval(string tool, string rule, RequestPreview request, DateTimeOffset expiresAt,
        Func<CancellationToken, Task<SentCall>> send, Func<string, Task> refuse)
    {
        Tool = tool;
        Rule = rule;
        Request = request;
        ExpiresAt = expiresAt;
        _send = send;
        _refuse = refuse;
    }

    /// <summary>Names the approval to the agent (await_approval); not enough to approve it.</summary>
    public string Id { get; } = Random128();

    /// <summary>The one-time secret in the page's URL: whoever lacks it cannot see or decide the approval.</summary>
    public string Token { get; } = Random128();

    public string Tool { get; }

    public string Rule { get; }

    public RequestPreview Request { get; }

    public DateTimeOffset ExpiresAt { get; }

    public ApprovalState State { get; private set; } = ApprovalState.Pending;

    /// <summary>What the original tool returned once approved and sent; null before.</summary>
    public CallToolResult? Result { get; private set; }

    /// <summary>
    /// The one-time secret the call created (a new key), for the first await_approval that returns the result: later
    /// ones get it masked, as the server masks every secret it has issued once.
    /// </summary>
    public string? TakeDeliveredSecret() => Interlocked.Exchange(ref _deliveredSecret, null);

    /// <summary>Why it was not sent (declined, expired, the server exited).</summary>
    public string? Refusal { get; private set; }

    /// <summary>Completes when the approval is settled: sent, declined, expired or abandoned.</summary>
    public Task Settled => _settled.Task;

    public static string Random128() => Base64Url(RandomNumberGenerator.GetBytes(16));

    public bool TokenMatches(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(Token));

    /// <summary>A fresh one-time nonce for the form a page shows: a decision must carry one the page handed out.</summary>
    public string IssueNonce()
    {
        var nonce = Random128();
        lock (_gate)
        {
            // A page reloaded many times must not grow this without bound; the oldest form goes stale first.
            if (_nonces.Count >= 32)
            {
                _nonces.RemoveAt(0);
            }

            _nonces.Add(nonce);
        }

        return nonce;
    }

    internal void ExpireAt(TimeProvider clock, Func<PendingApproval, Task> onExpiry)
    {
        var wait = ExpiresAt - clock.GetUtcNow();
        _expiry = clock.CreateTimer(_ => _ = onExpiry(this), null, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The human approved: send the exact planned request, once. False when the token, nonce or state do not allow it.</summary>
    internal async Task<bool> ApproveAsync(string? token, string? nonce, CancellationToken cancellationToken)
    {
        if (!TryDecide(token, nonce, ApprovalState.Approved))
        {
            return false;
        }

        try
        {
            var sent = await _send(cancellationToken);
            _deliveredSecret = sent.DeliveredSecret;
            Result = sent.Result;
        }
        finally
        {
            _settled.TrySetResult();
        }

        return true;
    }

    /// <summary>The server gave up on it (the page could not be shown, the server stopped): refused, nothing sent.</summary>
    internal Task<bool> AbandonAsync(string reason) => RefuseAsync(null, null, ApprovalState.Abandoned, reason, checkToken: false);

    internal async Task<bool> RefuseAsync(string? token, string? nonce, ApprovalState state, string reason, bool checkToken = true)
    {
        if (checkToken ? !TryDecide(token, nonce, state) : !TrySettle(state))
        {
            return false;
        }

        Refusal = reason;
        try
        {
            await _refuse(reason);
        }
        finally
        {
            _settled.TrySetResult();
        }

        return true;
    }

    private bool TryDecide(string? token, string? nonce, ApprovalState state)
    {
        if (!TokenMatches(token))
        {
            return false;
        }

        lock (_gate)
        {
            return nonce is not null && _nonces.Remove(nonce) && TrySettleLocked(state);
        }
    }

    private bool TrySettle(ApprovalState state)
    {
        lock (_gate)
        {
            return TrySettleLocked(state);
        }
    }

    private bool TrySettleLocked(ApprovalState state)
    {
        if (State != ApprovalState.Pending)
        {
            return false;
        }

        State = state;
        _nonces.Clear();
        _expiry?.Dispose();
        return true;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The approvals waiting on the local page, in memory only. Each expires at its rule's approval_timeout (on the
/// server's clock); when the server stops, every one still pending is refused, its quota given back, nothing sent.
/// </summary>
public sealed class PendingApprovals(TimeProvider clock) : IHostedService
{
    /// <summary>How long a settled approval can still be read by await_approval.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(15);

    /// <summary>More waiting at once than a person reviews: an agent cannot fill memory or the user's screen with them.</summary>
    public const int MaxWaiting = 16;

    private readonly Dictionary<string, (PendingApproval Approval, DateTimeOffset Forget)> _approvals = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PendingApproval Create(string tool, string rule, RequestPreview request, TimeSpan timeout,
        Func<CancellationToken, Task<SentCall>> send, Func<string, Task> refuse)
    {
        var approval = new PendingApproval(tool, rule, request, clock.GetUtcNow() + timeout, send, refuse);
        lock (_gate)
        {
            Forget();
            if (_approvals.Values.Count(e => e.Approval.State == ApprovalState.Pending) >= MaxWaiting)
            {
                throw new NotApprovedException(PolicyGuard.DeniedPrefix +
                    $"{MaxWaiting} approvals are already waiting for the user; {tool} was not asked and nothing was sent. Let the user decide those first (await_approval).");
            }

            _approvals[approval.Id] = (approval, approval.ExpiresAt + Retention);
        }

        approval.ExpireAt(clock, expired => expired.RefuseAsync(null, null, ApprovalState.Expired,
            $"nobody approved it before {expired.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC, so it expired",
            checkToken: false));
        return approval;
    }

    public PendingApproval? Find(string id)
    {
        lock (_gate)
        {
            return _approvals.TryGetValue(id, out var entry) ? entry.Approval : null;
        }
    }

    /// <summary>Approvals still waiting, for the page's checks and for shutdown.</summary>
    public IReadOnlyList<PendingApproval> Waiting
    {
        get
        {
            lock (_gate)
            {
                return [.. _approvals.Values.Select(e => e.Approval).Where(a => a.State == ApprovalState.Pending)];
            }
        }
    }

    private void Forget()
    {
        var now = clock.GetUtcNow();
        foreach (var id in _approvals.Where(e => e.Value.Forget < now && e.Value.Approval.State != ApprovalState.Pending).Select(e => e.Key).ToList())
        {
            _approvals.Remove(id);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A restart forgets every approval: the ones still waiting are refused now, their quota given back.</summary>
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(Waiting.Select(approval =>
            approval.AbandonAsync("the server stopped before anyone approved it")));
}
