using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.LimitPolicies.LimitPolicyRequests;

namespace PortkeyAdminMcp.LimitPolicies;

/// <summary>
/// The limits toolset: organisation-wide usage-limit (budget) and rate-limit policies, which the gateway enforces on
/// every matching request (412 when a budget is spent, 429 over a rate).
/// </summary>
public static class LimitPolicyTools
{
    private static readonly IReadOnlyDictionary<int, string> s_hints = ToolHints.EnterpriseOnly("Limit policies", "policies.*")
        .With(403, "Limit policies need Portkey's Enterprise plan (self-hosted gateway 1.17.0 or later) and a key with the policies.* scope " +
                   "(an Admin key needs workspace_id); on other plans Portkey answers 403 whatever the key.")
        .With(404, "No such policy among the active ones: an archived (deleted) policy is found with status archived.");

    public static IServiceCollection AddLimitPolicyTools(this IServiceCollection services) =>
        services.AddTools(ListUsage, GetUsage, CreateUsage, UpdateUsage, DeleteUsage, ListEntities, ResetEntity, ListRate, GetRate, CreateRate, UpdateRate, DeleteRate);

    public static readonly ToolDeclaration<Page<UsageLimitPolicy>> ListUsage = new()
    {
        Name = "list_usage_limits",
        Title = "List usage-limit policies",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Read,
        Description = _ => "List budget policies (usage limits) by workspace, status (active by default) and type. Pages count from 0.",
        Input = LimitPolicyContracts.ListUsage,
        Output = static () => LimitPoliciesJsonContext.Default.PageUsageLimitPolicy,
        Hints = s_hints,
        Plan = ToolSteps.Plan(args => List(Usage, args, "type")),
        Execute = ToolSteps.List(LimitPoliciesJsonContext.Default.PageRecordUsageLimitPolicyRecord, UsageLimitPolicy.From),
    };

    public static readonly ToolDeclaration<UsageLimitPolicy> GetUsage = new()
    {
        Name = "get_usage_limit",
        Title = "Get usage-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Read,
        Description = _ => "Read a budget policy; include_usage adds each value's usage. An archived one needs status archived.",
        Input = LimitPolicyContracts.GetUsage,
        Output = static () => LimitPoliciesJsonContext.Default.UsageLimitPolicy,
        Hints = s_hints,
        Plan = ToolSteps.Plan(args => Get(Usage, args)),
        Execute = ToolSteps.Read(LimitPoliciesJsonContext.Default.UsageLimitPolicyRecord, UsageLimitPolicy.From),
    };

    public static readonly ToolDeclaration<PolicyChange<UsageLimitPolicy>> CreateUsage = new()
    {
        Name = "create_usage_limit",
        Title = "Create usage-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Create a budget policy: requests matching all conditions are counted per group_by value, and refused (412) " +
            "once credit_limit is spent. alert_threshold is a percent of credit_limit, as on keys. dry_run shows the request.",
        Input = LimitPolicyContracts.CreateUsage,
        Output = static () => LimitPoliciesJsonContext.Default.PolicyChangeUsageLimitPolicy,
        Hints = s_hints,
        Plan = ToolSteps.Plan(LimitPolicyRequests.CreateUsage),
        Execute = async (call, request, cancellationToken) =>
        {
            var id = await CreatedIdAsync(call, request, cancellationToken);
            return new PolicyChange<UsageLimitPolicy> { Id = id, Message = $"Usage-limit policy created: id \"{id}\"." };
        },
    };

    public static readonly ToolDeclaration<PolicyChange<UsageLimitPolicy>> UpdateUsage = new()
    {
        Name = "update_usage_limit",
        Title = "Update usage-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change a budget policy's name, description, conditions or limit; type and group_by never change. Limits are " +
            "merged with the current ones (read first) as in update_api_key. reset_usage_for_value zeroes one counter. " +
            "Returns it read back. dry_run shows the request.",
        Input = LimitPolicyContracts.UpdateUsage,
        Output = static () => LimitPoliciesJsonContext.Default.PolicyChangeUsageLimitPolicy,
        Hints = s_hints,
        Plan = async (call, cancellationToken) =>
        {
            var current = UpdateNeedsCurrent(call.Arguments)
                ? await call.Portkey.SendAsync(Get(Usage, call.Arguments), LimitPoliciesJsonContext.Default.UsageLimitPolicyRecord, cancellationToken)
                : null;
            var errors = new List<FieldError>();
            var request = LimitPolicyRequests.UpdateUsage(call.Arguments, current, errors);
            return errors.Count > 0 ? throw new ToolInputException(errors) : request;
        },
        Execute = ToolSteps.SendAndReadBack(args => Get(Usage, args), LimitPoliciesJsonContext.Default.UsageLimitPolicyRecord, (call, message, after) => new PolicyChange<UsageLimitPolicy>
        {
            Message = message,
            Id = call.Arguments.String("id"),
            UpdatedFields = call.ChangedFields("id"),
            Policy = after is null ? null : UsageLimitPolicy.From(after),
        }),
    };

    public static readonly ToolDeclaration<DeletedRecord> DeleteUsage = new()
    {
        Name = "delete_usage_limit",
        Title = "Delete usage-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Delete,
        Description = _ => "Archive a budget policy: it stops counting and refusing at once (Portkey keeps it as archived). dry_run shows the request.",
        Input = LimitPolicyContracts.PolicyById,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_hints,
        Plan = ToolSteps.Plan(args => Delete(Usage, args)),
        Execute = ToolSteps.Send(call => new DeletedRecord
        {
            Deleted = call.Arguments.String("id")!,
            Message = $"Usage-limit policy {call.Arguments.String("id")} archived: it no longer limits anything.",
        }),
    };

    public static readonly ToolDeclaration<Page<UsageLimitEntity>> ListEntities = new()
    {
        Name = "list_usage_limit_entities",
        Title = "List usage-limit counters",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Read,
        Description = _ => "List a budget policy's counters (one per group_by value, e.g. metadata._user:alice) with usage and status. Pages count from 0.",
        Input = LimitPolicyContracts.ListEntities,
        Output = static () => LimitPoliciesJsonContext.Default.PageUsageLimitEntity,
        Hints = s_hints,
        Plan = ToolSteps.Plan(LimitPolicyRequests.ListEntities),
        Execute = ToolSteps.List(LimitPoliciesJsonContext.Default.PageRecordUsageLimitEntityRecord, UsageLimitEntity.From),
    };

    public static readonly ToolDeclaration<DeletedRecord> ResetEntity = new()
    {
        Name = "reset_usage_limit_entity",
        Title = "Reset usage-limit counter",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Update,
        Description = _ => "Zero one counter of a budget policy: that value may spend its whole budget again. dry_run shows the request.",
        Input = LimitPolicyContracts.ResetEntity,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_hints,
        Plan = ToolSteps.Plan(LimitPolicyRequests.ResetEntity),
        Execute = ToolSteps.Send(call => new DeletedRecord
        {
            Deleted = call.Arguments.String("entity_id")!,
            Message = $"Counter {call.Arguments.String("entity_id")} of policy {call.Arguments.String("limit_id")} reset to zero.",
        }),
    };

    public static readonly ToolDeclaration<Page<RateLimitPolicy>> ListRate = new()
    {
        Name = "list_rate_limits",
        Title = "List rate-limit policies",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Read,
        Description = _ => "List rate-limit policies by workspace, status (active by default), type and unit. Pages count from 0.",
        Input = LimitPolicyContracts.ListRate,
        Output = static () => LimitPoliciesJsonContext.Default.PageRateLimitPolicy,
        Hints = s_hints,
        Plan = ToolSteps.Plan(args => List(Rate, args, "type", "unit")),
        Execute = ToolSteps.List(LimitPoliciesJsonContext.Default.PageRecordRateLimitPolicyRecord, RateLimitPolicy.From),
    };

    public static readonly ToolDeclaration<RateLimitPolicy> GetRate = new()
    {
        Name = "get_rate_limit",
        Title = "Get rate-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Read,
        Description = _ => "Read a rate-limit policy. An archived one needs status archived.",
        Input = LimitPolicyContracts.GetRate,
        Output = static () => LimitPoliciesJsonContext.Default.RateLimitPolicy,
        Hints = s_hints,
        Plan = ToolSteps.Plan(args => Get(Rate, args)),
        Execute = ToolSteps.Read(LimitPoliciesJsonContext.Default.RateLimitPolicyRecord, RateLimitPolicy.From),
    };

    public static readonly ToolDeclaration<PolicyChange<RateLimitPolicy>> CreateRate = new()
    {
        Name = "create_rate_limit",
        Title = "Create rate-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Create,
        Description = _ =>
            "Create a rate-limit policy: requests (or tokens) matching all conditions, per group_by value, at most value per " +
            "unit; more are refused (429). target llm (default) or mcp_tools, fixed once created. dry_run shows the request.",
        Input = LimitPolicyContracts.CreateRate,
        Output = static () => LimitPoliciesJsonContext.Default.PolicyChangeRateLimitPolicy,
        Hints = s_hints,
        Plan = ToolSteps.Plan(LimitPolicyRequests.CreateRate),
        Execute = async (call, request, cancellationToken) =>
        {
            var id = await CreatedIdAsync(call, request, cancellationToken);
            return new PolicyChange<RateLimitPolicy> { Id = id, Message = $"Rate-limit policy created: id \"{id}\"." };
        },
    };

    public static readonly ToolDeclaration<PolicyChange<RateLimitPolicy>> UpdateRate = new()
    {
        Name = "update_rate_limit",
        Title = "Update rate-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Update,
        Description = _ =>
            "Change a rate-limit policy's name, description, conditions, unit or value; type, group_by and target never " +
            "change. Returns it read back. dry_run shows the request.",
        Input = LimitPolicyContracts.UpdateRate,
        Output = static () => LimitPoliciesJsonContext.Default.PolicyChangeRateLimitPolicy,
        Hints = s_hints,
        Plan = ToolSteps.Plan(LimitPolicyRequests.UpdateRate),
        Execute = ToolSteps.SendAndReadBack(args => Get(Rate, args), LimitPoliciesJsonContext.Default.RateLimitPolicyRecord, (call, message, after) => new PolicyChange<RateLimitPolicy>
        {
            Message = message,
            Id = call.Arguments.String("id"),
            UpdatedFields = call.ChangedFields("id", "target"),
            Policy = after is null ? null : RateLimitPolicy.From(after),
        }),
    };

    public static readonly ToolDeclaration<DeletedRecord> DeleteRate = new()
    {
        Name = "delete_rate_limit",
        Title = "Delete rate-limit policy",
        Toolset = Toolsets.Limits,
        Effect = ToolEffect.Delete,
        Description = _ => "Delete (archive) a rate-limit policy: it stops limiting at once. dry_run shows the request.",
        Input = LimitPolicyContracts.PolicyById,
        Output = static () => CallsJsonContext.Default.DeletedRecord,
        Hints = s_hints,
        Plan = ToolSteps.Plan(args => Delete(Rate, args)),
        Execute = ToolSteps.Send(call => new DeletedRecord
        {
            Deleted = call.Arguments.String("id")!,
            Message = $"Rate-limit policy {call.Arguments.String("id")} deleted: it no longer limits anything.",
        }),
    };

    /// <summary>Portkey answers a create with {id}; an answer without one may still mean it exists.</summary>
    private static async Task<string> CreatedIdAsync(ToolCall call, PortkeyRequest request, CancellationToken cancellationToken) =>
        (await call.Portkey.SendAsync(request, LimitPoliciesJsonContext.Default.CreatedPolicyRecord, cancellationToken)).Id is { Length: > 0 } id
            ? id
            : throw new PortkeyTransportException("Portkey accepted the policy but its answer has no id. It may exist: list it before creating another.");
}
