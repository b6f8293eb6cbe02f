using Microsoft.Extensions.DependencyInjection;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.AuditLogs;

/// <summary>list_audit_logs (toolset audit): who changed what in the organisation, as Portkey logged it.</summary>
public static class AuditLogTools
{
    private static readonly string[] s_filters =
        ["start_time", "end_time", "organisation_id", "method", "user_id", "user_type", "workspace_id", "resource_type", "action", "uri", "request_id",
         "response_status_code", "client_ip", "country"];

    public static IServiceCollection AddAuditLogTools(this IServiceCollection services) => services.AddTools(List);

    /// <summary>The exact request: the required range and organisation, the filters given, and the page.</summary>
    public static PortkeyRequest Request(ToolArguments args) =>
        PortkeyRequest.Get(["audit-logs"], PageQuery.Filtered(args, PageNaming.Snake, null, s_filters));

    public static readonly ToolDeclaration<Page<AuditLogEntry>> List = new()
    {
        Name = "list_audit_logs",
        Title = "List audit logs",
        Toolset = Toolsets.Audit,
        Effect = ToolEffect.Read,
        Description = _ =>
            "Who changed what: the audit log of write calls between start_time and end_time (ISO 8601), with filters. " +
            "Bodies and headers come masked. Pages count from 0. Enterprise; Admin key.",
        Input = AuditLogContracts.List,
        Output = static () => AuditLogsJsonContext.Default.PageAuditLogEntry,
        Hints = ToolHints.EnterpriseOnly("Audit logs", "audit_logs.list").With(403,
            "Audit logs are a Portkey Enterprise feature: on other plans Portkey answers 403 whatever the key. On Enterprise they need an " +
            "Admin (organisation) API key with audit_logs.list; a workspace key is refused whatever its scopes.")
            .With(400, "Portkey requires start_time, end_time (ISO 8601) and organisation_id, your organisation's UUID."),
        Plan = ToolSteps.Plan(Request),
        Execute = async (call, request, cancellationToken) =>
        {
            var answer = await call.Portkey.SendAsync(request, AuditLogsJsonContext.Default.AuditLogPageRecord, cancellationToken);
            var items = (answer.Records ?? []).Select(AuditLogEntry.From).ToList();
            return Page.From(items, answer.Total, call.Arguments.Integer("page_size"), call.Arguments.Integer("current_page") ?? 0);
        },
    };
}
