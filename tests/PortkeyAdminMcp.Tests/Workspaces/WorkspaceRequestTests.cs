using System.Text.Json;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Tests.Support;
using PortkeyAdminMcp.Workspaces;

namespace PortkeyAdminMcp.Tests.Workspaces;

/// <summary>Workspace limits through the key tools' one implementation: the same conversion, the same merge, lists kept whole.</summary>
public class WorkspaceRequestTests
{
    private static WorkspaceRecord Workspace(string json) => JsonSerializer.Deserialize(json, WorkspacesJsonContext.Default.WorkspaceRecord)!;

    private static (PortkeyRequest Request, List<FieldError> Errors) Update(string args, string? current)
    {
        var errors = new List<FieldError>();
        var request = WorkspaceRequests.Update(ToolArguments.Parse(args), current is null ? null : Workspace(current), errors);
        return (request, errors);
    }

    [Fact]
    public void A_new_unit_replaces_the_only_budget_as_on_a_key()
    {
        var (request, errors) = Update("""{"workspace_id":"ws","usage_limit_type":"tokens","credit_limit":100000}""",
            """{"usage_limits":[{"type":"cost","credit_limit":500,"alert_threshold":400}]}""");

        Assert.Empty(errors);
        PortkeyStub.AssertJsonEqual("""{"usage_limits":[{"type":"tokens","credit_limit":100000,"alert_threshold":80000}]}""", request.Body);
    }

    [Fact]
    public void Changing_one_of_several_budgets_keeps_the_others()
    {
        var (request, errors) = Update("""{"workspace_id":"ws","usage_limit_type":"tokens","alert_threshold":50}""",
            """{"usage_limits":[{"type":"cost","credit_limit":500,"periodic_reset":"monthly"},{"type":"tokens","credit_limit":100000}]}""");

        Assert.Empty(errors);
        PortkeyStub.AssertJsonEqual("""
            {"usage_limits":[{"type":"cost","credit_limit":500,"periodic_reset":"monthly"},{"type":"tokens","credit_limit":100000,"alert_threshold":50000}]}
            """, request.Body);
    }

    [Fact]
    public void A_percentage_without_any_budget_to_apply_it_to_is_refused()
    {
        var (_, errors) = Update("""{"workspace_id":"ws","alert_threshold":50}""", """{"usage_limits":null}""");

        Assert.Equal([new FieldError("alert_threshold", "the record has no credit limit to take a percentage of; give credit_limit too")], errors);
    }

    [Theory]
    [InlineData("""{"workspace_id":"ws","name":"x"}""", false)]
    [InlineData("""{"workspace_id":"ws","credit_limit":null}""", false)]
    [InlineData("""{"workspace_id":"ws","credit_limit":5}""", true)]
    [InlineData("""{"workspace_id":"ws","metadata":{"a":"b"}}""", true)]
    [InlineData("""{"workspace_id":"ws","rate_limits":null}""", false)]
    [InlineData("""{"workspace_id":"ws","rate_limit_rpm":5}""", true)]
    public void An_update_reads_the_workspace_first_only_when_it_merges(string args, bool reads)
    {
        Assert.Equal(reads, WorkspaceRequests.UpdateNeedsCurrent(ToolArguments.Parse(args)));
    }

    [Fact]
    public void Defaults_are_sent_whole_with_null_clearing_one_of_them()
    {
        var (request, _) = Update("""{"workspace_id":"ws","user_api_key_config":null}""",
            """{"defaults":{"metadata":{"team":"ml"},"user_api_key_config":"pc-old","output_guardrails":["g1"]}}""");

        PortkeyStub.AssertJsonEqual("""{"defaults":{"metadata":{"team":"ml"},"output_guardrails":["g1"],"user_api_key_config":null}}""", request.Body);
    }

    [Fact]
    public void A_provider_style_single_object_limit_is_read_as_a_list()
    {
        var workspace = Workspace("""{"usage_limits":{"type":"cost","credit_limit":5},"rate_limits":{"type":"requests","unit":"rpm","value":3}}""");

        Assert.Equal(5, Assert.Single(workspace.UsageLimits!).CreditLimit);
        Assert.Equal(3, Assert.Single(workspace.RateLimits!).Value);
    }
}
