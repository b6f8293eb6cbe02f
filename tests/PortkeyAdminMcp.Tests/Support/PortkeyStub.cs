using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace PortkeyAdminMcp.Tests.Support;

/// <summary>A stand-in Portkey Admin API on 127.0.0.1, recording every request that reaches it.</summary>
public sealed class PortkeyStub : IDisposable
{
    public const string ApiKey = "pk-test-admin-Zq8vN3xR7tL2wK9m";

    public PortkeyStub()
    {
        Server = WireMockServer.Start();
    }

    public WireMockServer Server { get; }

    /// <summary>What PORTKEY_BASE_URL is set to: the stub's root plus /v1, as in production.</summary>
    public string BaseUrl => Server.Urls[0] + "/v1";

    public IReadOnlyList<ILogEntry> Requests => [.. Server.LogEntries];

    public void Reply(string method, string path, int status, string? body = null, Action<IResponseBuilder>? configure = null)
    {
        var response = Response.Create().WithStatusCode(status);
        if (body is not null)
        {
            response = response.WithHeader("Content-Type", "application/json").WithBody(body);
        }

        configure?.Invoke(response);
        Server.Given(Request.Create().WithPath("/v1/" + path).UsingMethod(method)).RespondWith(response);
    }

    /// <summary>Replies in order, one per request, then repeats the last.</summary>
    public void ReplySequence(string method, string path, params (int Status, string Body)[] replies) =>
        ReplySequence(method, path, [.. replies.Select(r => (r.Status, r.Body, (Action<IResponseBuilder>?)null))]);

    /// <summary>Replies in order, each shaped further by its own <c>Configure</c> (a delay, a header), then repeats the last.</summary>
    public void ReplySequence(string method, string path, params (int Status, string Body, Action<IResponseBuilder>? Configure)[] replies)
    {
        const string scenario = "sequence";
        for (var i = 0; i < replies.Length; i++)
        {
            var request = Server.Given(Request.Create().WithPath("/v1/" + path).UsingMethod(method)).InScenario(scenario + path + method);
            var step = i == 0 ? request : request.WhenStateIs($"step{i}");
            var next = i < replies.Length - 1 ? step.WillSetStateTo($"step{i + 1}") : step;
            var response = Response.Create().WithStatusCode(replies[i].Status).WithHeader("Content-Type", "application/json").WithBody(replies[i].Body);
            replies[i].Configure?.Invoke(response);
            next.RespondWith(response);
        }
    }

    public ILogEntry Single(string method, string path)
    {
        var matching = Requests.Where(r => r.RequestMessage.Method == method && r.RequestMessage.Path == "/v1/" + path).ToList();
        Assert.Single(matching);
        return matching[0];
    }

    public int Count(string method, string path) =>
        Requests.Count(r => r.RequestMessage.Method == method && r.RequestMessage.Path == "/v1/" + path);

    /// <summary>The query string exactly as it reached the stub, without the '?': order and spelling included.</summary>
    public static string Query(ILogEntry entry) => new Uri(entry.RequestMessage.Url).Query.TrimStart('?');

    public static JsonNode? Body(ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body ?? "null");

    public static void AssertJsonEqual(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, actual), $"Expected JSON\n{expectedNode?.ToJsonString()}\nbut got\n{actual?.ToJsonString()}");
    }

    public void Dispose() => Server.Stop();
}
