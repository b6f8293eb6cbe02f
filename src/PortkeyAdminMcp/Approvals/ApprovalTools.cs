using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Approvals;

/// <summary>What await_approval returns: the original tool's real result once approved and sent, or that it still waits.</summary>
public sealed class AwaitedApproval
{
    public const string Approved = "approved";
    public const string Waiting = "waiting";

    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("approval_id")] public required string ApprovalId { get; init; }
    [JsonPropertyName("tool")] public required string Tool { get; init; }
    [JsonPropertyName("expires_at")] public string? ExpiresAt { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }

    /// <summary>The original tool's structured result, as it would have returned it without the approval.</summary>
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AwaitedApproval))]
internal sealed partial class ApprovalsJsonContext : JsonSerializerContext;

/// <summary>await_approval: how an agent learns the outcome of a call a human approves on the local page.</summary>
public static class ApprovalTools
{
    /// <summary>Under most clients' request timeouts (60 s and more), with room to spare.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(45);

    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddApprovalTools(this IServiceCollection services) => services.AddTools(AwaitApproval);

    public static readonly LocalToolDeclaration<AwaitedApproval> AwaitApproval = new()
    {
        Name = "await_approval",
        Title = "Await approval",
        Toolset = "*",
        Effect = ToolEffect.Read,
        Description = _ =>
            "Wait (up to 45 s) for a human to approve or decline a call that returned status approval_required, and get " +
            "its real result once approved and sent, or the refusal. Call again while the status is waiting.",
        Input = new ToolContract
        {
            Input = new ObjectSchema
            {
                Properties =
                [
                    new("approval_id", new StringSchema
                    {
                        Description = "From the approval_required result.",
                        MaxLength = 32,
                        Pattern = "^[A-Za-z0-9_-]{22}$",
                        PatternHint = "must be the approval_id of an approval_required result",
                    }),
                ],
                Required = ["approval_id"],
            },
        },
        Output = static () => ApprovalsJsonContext.Default.AwaitedApproval,
        OfferedWhen = OfferedWhere,
        Run = RunAsync,
    };

    /// <summary>
    /// Offered only where a rule can ask on the page: a channel other than elicitation, and a require_approval rule for a
    /// tool this server offers (a rule on a switched-off toolset asks nobody).
    /// </summary>
    private static bool OfferedWhere(IServiceProvider services)
    {
        if (!services.GetRequiredService<IOptions<ApprovalOptions>>().Value.PageAllowed)
        {
            return false;
        }

        var policy = services.GetRequiredService<IOptions<PolicyOptions>>().Value.Policy;
        var toolsets = services.GetRequiredService<IOptions<ToolsetOptions>>().Value;
        return policy.AsksForApproval && services.GetRequiredService<ToolCatalog>().All.Any(tool =>
            tool.OfferedWhen is null && toolsets.IsEnabled(tool.Toolset) && policy.MayAskApprovalFor(tool.Name));
    }

    private static async Task<AwaitedApproval> RunAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var id = call.Arguments.String("approval_id")!;
        var approval = call.Service<PendingApprovals>().Find(id) ?? throw new ToolFailureException(
            $"No approval {id} is waiting: it may have expired long ago, or the server restarted (an approval survives nothing). Nothing was sent.");
        var clock = call.Service<TimeProvider>();
        var started = clock.GetTimestamp();
        var progress = call.Progress;
        // Until the decision is made and, once approved, the request has finished: both within this call's bound.
        while (!approval.Settled.IsCompleted)
        {
            var waited = clock.GetElapsedTime(started);
            if (waited >= LongestWait)
            {
                break;
            }

            progress?.Report(new ProgressNotificationValue
            {
                Progress = (float)waited.TotalSeconds,
                Total = (float)LongestWait.TotalSeconds,
                Message = approval.State == ApprovalState.Pending
                    ? "Waiting for the user to approve or decline on the approval page."
                    : "Approved by the user; waiting for Portkey to answer.",
            });
            var next = LongestWait - waited < ProgressEvery ? LongestWait - waited : ProgressEvery;
            await Task.WhenAny(approval.Settled, Task.Delay(next, clock, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (!approval.Settled.IsCompleted)
        {
            return new AwaitedApproval
            {
                Status = AwaitedApproval.Waiting,
                ApprovalId = id,
                Tool = approval.Tool,
                ExpiresAt = approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                Message = approval.State == ApprovalState.Pending
                    ? "Still waiting for the user. Remind them of the approval page if needed, then call await_approval again."
                    : "Approved by the user and being sent; Portkey has not answered yet. Call await_approval again for the result (do not repeat the call).",
            };
        }

        if (approval.State != ApprovalState.Approved)
        {
            throw new ToolFailureException(
                $"{PolicyGuard.DeniedPrefix}Policy rule \"{approval.Rule}\" required approval for {approval.Tool}; {approval.Refusal}. Nothing was sent.");
        }

        var result = approval.Result!;
        if (result.IsError == true)
        {
            throw new ToolFailureException(
                $"Approved by the user and sent, but {approval.Tool} failed: " + string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)));
        }

        // The new key's secret reaches the agent here, as the call would have returned it without the approval; once.
        call.Record.DeliveredSecret = approval.TakeDeliveredSecret();
        return new AwaitedApproval
        {
            Status = AwaitedApproval.Approved,
            ApprovalId = id,
            Tool = approval.Tool,
            Message = $"Approved by the user and sent; result is what {approval.Tool} returned.",
            Result = result.StructuredContent,
        };
    }
}
