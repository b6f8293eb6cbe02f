using PortkeyAdminMcp.Tests.Fixtures;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Portkey;

/// <summary>Portkey's failures become isError results that keep status, errorCode and message, with a hint.</summary>
public class UpstreamErrorTests : StubbedServerTest
{
    private Task<ModelContextProtocol.Protocol.CallToolResult> GetAsync() =>
        Server.CallAsync("get_api_key", $$"""{"id":"{{LiveApiKey.Id}}"}""");

    [Theory]
    [InlineData(401, """{"success":false,"data":{"message":"Unauthorised Request"}}""", "HTTP 401 - Unauthorised Request\nHint: Portkey did not accept the API key: check that PORTKEY_API_KEY")]
    [InlineData(403, """{"success":false,"data":{"message":"You do not have enough permissions to execute this request","errorCode":"AB03"}}""", "HTTP 403 AB03 - You do not have enough permissions to execute this request\nHint: The API key is not allowed to do this: it may lack the scope")]
    [InlineData(404, """{"error":{"message":"API key not found","code":"AB08"}}""", "HTTP 404 AB08 - API key not found\nHint: Portkey found no such record")]
    [InlineData(400, """{"message":"Invalid request. Please check and try again.","errorCode":"AB01"}""", "HTTP 400 AB01 - Invalid request. Please check and try again.\nHint: Portkey rejected the request body")]
    public async Task Error_status_code_and_message_are_kept_with_a_hint(int status, string body, string expected)
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", status, body);
        var result = await GetAsync();
        Assert.True(result.IsError);
        var text = InProcessServer.Text(result);
        Assert.StartsWith($"Portkey refused get_api_key (GET /api-keys/{LiveApiKey.Id}): {expected}", text, StringComparison.Ordinal);
        Assert.Equal(1, Portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task Rate_limited_answer_says_when_to_retry()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 429, """{"success":false,"data":{"message":"Rate limit exceeded","errorCode":"AB06"}}""",
            r => r.WithHeader("Retry-After", "120"));
        var result = await GetAsync();
        Assert.True(result.IsError);
        Assert.Equal(
            $"Portkey refused get_api_key (GET /api-keys/{LiveApiKey.Id}): HTTP 429 AB06 - Rate limit exceeded (Portkey asks to wait 120 s before retrying)\n" +
            "Hint: Portkey is rate-limiting this API key. Wait before retrying (honour Retry-After when Portkey gives it); do not loop.",
            InProcessServer.Text(result));
        // A Retry-After longer than the server will wait is reported, not waited out.
        Assert.Equal(1, Portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task Html_502_is_described_not_dumped()
    {
        Portkey.Reply("POST", "virtual-keys", 502, null, r => r.WithHeader("Content-Type", "text/html").WithBody("<html><body>Bad gateway</body></html>"));
        var result = await Server.CallAsync("create_virtual_key", """{"key":"sk-proj-QwErTy123456","name":"o","provider":"openai"}""");
        Assert.True(result.IsError);
        Assert.StartsWith("Portkey refused create_virtual_key (POST /virtual-keys): HTTP 502 - Bad Gateway (an HTML page of 37 characters, not shown)\nHint: Portkey had a server-side problem.",
            InProcessServer.Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_is_retried_after_a_503_and_then_succeeds()
    {
        Portkey.ReplySequence("GET", $"api-keys/{LiveApiKey.Id}", (503, """{"message":"unavailable"}"""), (200, LiveApiKey.Json));
        var result = await GetAsync();
        Assert.True(result.IsError is not true, InProcessServer.Text(result));
        Assert.Equal(2, Portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task Get_gives_up_after_three_attempts()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 500, """{"message":"boom"}""");
        var result = await GetAsync();
        Assert.True(result.IsError);
        Assert.Equal(3, Portkey.Count("GET", $"api-keys/{LiveApiKey.Id}"));
    }

    [Fact]
    public async Task Post_is_never_retried_after_a_503()
    {
        Portkey.ReplySequence("POST", "api-keys/organisation/service", (503, """{"message":"unavailable"}"""), (200, """{"id":"x","key":"pk-second-key-000"}"""));
        var result = await Server.CallAsync("create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");
        Assert.True(result.IsError);
        Assert.Equal(1, Portkey.Count("POST", "api-keys/organisation/service"));
    }

    [Fact]
    public async Task Malformed_json_is_an_error()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 200, """{"id": "60571396""");
        var result = await GetAsync();
        Assert.True(result.IsError);
        Assert.Equal($"Portkey answered GET /api-keys/{LiveApiKey.Id} with a body that is not valid JSON (16 characters, not shown); nothing can be read from it.", InProcessServer.Text(result));
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 302, null, r => r.WithHeader("Location", "http://127.0.0.1:9/steal"));
        var result = await GetAsync();
        Assert.True(result.IsError);
        Assert.Contains("redirect, which this server does not follow", InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Single(Portkey.Requests);
    }

    [Fact]
    public async Task Error_messages_never_echo_a_known_secret()
    {
        Portkey.Reply("GET", $"api-keys/{LiveApiKey.Id}", 401, $$$"""{"data":{"message":"Key {{{PortkeyStub.ApiKey}}} is invalid"}}""");
        var result = await GetAsync();
        Assert.DoesNotContain(PortkeyStub.ApiKey, InProcessServer.Text(result), StringComparison.Ordinal);
        Assert.Contains("Key [REDACTED] is invalid", InProcessServer.Text(result), StringComparison.Ordinal);
    }
}
