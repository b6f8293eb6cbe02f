using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Policy;

/// <summary>
/// One value, one spelling: what Portkey treats as equal (a UUID in any case) reaches the policy and the request in
/// the same lower-case form, so a rule on an id cannot be dodged by writing it in upper case, and the policy judges
/// exactly what is sent.
/// </summary>
public sealed class NormalizedSpellingTests : PolicyServerTest
{
    private const string Protected = "60571396-bd81-4e58-8c82-4858930ede0b";

    [Theory]
    [InlineData("60571396-BD81-4E58-8C82-4858930EDE0B")]
    [InlineData("60571396-bd81-4e58-8C82-4858930ede0b")]
    public async Task A_rule_on_an_id_cannot_be_dodged_by_its_upper_case_spelling(string spelling)
    {
        var server = await StartAsync($$"""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - name: never the break-glass key
                    conditions: [{path: args.id, op: neq, value: "{{Protected}}"}]
                    on_deny: "That key is protected."
            """);

        AssertRefused(await server.CallAsync("delete_api_key", $$"""{"id":"{{spelling}}"}"""), "That key is protected.");
        Assert.Empty(Portkey.Requests);
    }

    [Fact]
    public async Task The_request_carries_the_spelling_the_policy_judged()
    {
        Portkey.Reply("DELETE", $"api-keys/{Protected}", 200, "{}");
        Portkey.Reply("GET", "api-keys", 200, """{"total":0,"data":[]}""");
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        var deleted = await server.CallAsync("delete_api_key", """{"id":"60571396-BD81-4E58-8C82-4858930EDE0B"}""");
        var listed = await server.CallAsync("list_api_keys", """{"workspace_id":"AB7A9B7C-1B45-4A50-9C1F-3E1D2A0B4C5D"}""");

        Assert.True(deleted.IsError is not true, InProcessServer.Text(deleted));
        Assert.Equal($"/v1/api-keys/{Protected}", Portkey.Single("DELETE", $"api-keys/{Protected}").RequestMessage.Path);
        Assert.True(listed.IsError is not true, InProcessServer.Text(listed));
        Assert.Equal("ab7a9b7c-1b45-4a50-9c1f-3e1d2a0b4c5d", Portkey.Single("GET", "api-keys").RequestMessage.Query!["workspace_id"].Single());
        Assert.Equal(Protected, (string?)AuditLines()[0]["arguments"]!["id"]);
    }

    [Fact]
    public async Task A_workspace_slug_keeps_its_case_because_slugs_are_not_uuids()
    {
        Portkey.Reply("GET", "api-keys", 200, """{"total":0,"data":[]}""");
        var server = await StartAsync("""
            version: "1"
            tools: {}
            """);

        await server.CallAsync("list_api_keys", """{"workspace_id":"ML-Team"}""");

        Assert.Equal("ML-Team", Portkey.Single("GET", "api-keys").RequestMessage.Query!["workspace_id"].Single());
    }

    [Fact]
    public async Task A_uuid_written_in_upper_case_in_the_policy_still_protects_its_record()
    {
        var server = await StartAsync($$"""
            version: "1"
            tools:
              delete_api_key:
                rules:
                  - name: never these keys
                    conditions: [{path: args.id, op: not_in, value: ["{{Protected.ToUpperInvariant()}}"]}]
                    on_deny: "That key is protected."
            """);

        AssertRefused(await server.CallAsync("delete_api_key", $$"""{"id":"{{Protected}}"}"""), "That key is protected.");
        Assert.Empty(Portkey.Requests);
    }
}
