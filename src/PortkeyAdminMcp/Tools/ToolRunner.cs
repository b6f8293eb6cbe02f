using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>
/// The one path every tool call takes: secrets registered, arguments checked (all problems at once, nothing
/// sent when any), the exact request planned (reads needed to resolve it included), then either shown
/// (<c>dry_run</c>) or sent, and every failure turned into an isError result scrubbed of secrets.
/// </summary>
public sealed partial class ToolRunner(SecretRegistry secrets, IOptions<PortkeyOptions> options, ILogger<ToolRunner> logger)
{
    /// <summary>Resolves the arguments into the one request that would change (or read) Portkey.</summary>
    public delegate Task<PortkeyRequest> Plan(ToolArguments arguments, CancellationToken cancellationToken);

    /// <summary>Sends the planned request and shapes the result.</summary>
    public delegate Task<CallToolResult> Execute(ToolArguments arguments, PortkeyRequest request, CancellationToken cancellationToken);

    public async Task<CallToolResult> RunAsync(
        ToolContract contract,
        RequestContext<CallToolRequestParams> context,
        Plan plan,
        Execute execute,
        CancellationToken cancellationToken)
    {
        var arguments = ToolArguments.From(context.Params?.Arguments);
        contract.RegisterSecrets(arguments, secrets);

        var errors = contract.Check(arguments);
        if (errors.Count > 0)
        {
            LogRejected(logger, contract.Name, errors.Count);
            return Fail(ToolResults.InvalidArguments(contract.Name, errors));
        }

        try
        {
            var request = await plan(arguments, cancellationToken);
            if (arguments.Boolean("dry_run") == true)
            {
                return ToolResults.Success(DryRun(request), ToolJsonContext.Default.DryRunResult);
            }

            return await execute(arguments, request, cancellationToken);
        }
        catch (ToolInputException exception)
        {
            return Fail(ToolResults.InvalidArguments(contract.Name, exception.Errors));
        }
        catch (PortkeyApiException exception)
        {
            return Fail(ToolResults.Upstream(exception.Error, $"{contract.Name} ({exception.Operation})"));
        }
        catch (PortkeyException exception)
        {
            return Fail(exception.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            LogUnexpected(logger, contract.Name, exception);
            return Fail($"{contract.Name} failed inside this server ({exception.GetType().Name}). The server logged the details on stderr.");
        }
    }

    /// <summary>The request exactly as it would be sent, with every secret in the body masked.</summary>
    public RequestPreview Preview(PortkeyRequest request) => new()
    {
        Method = request.Method.Method,
        Url = new Uri(options.Value.BaseAddress, request.RelativeUri).ToString(),
        Path = "/" + request.Path,
        Query = request.Query.Count == 0 ? null : request.Query.ToDictionary(p => p.Key, p => p.Value),
        Body = request.Body is null ? null : MaskedBody(request.Body),
    };

    private JsonElement MaskedBody(JsonObject body)
    {
        using var document = JsonDocument.Parse(secrets.Scrub(body.ToJsonString()));
        return document.RootElement.Clone();
    }

    private DryRunResult DryRun(PortkeyRequest request) => new()
    {
        Request = Preview(request),
        Message = "Dry run: nothing was sent to Portkey. Call again without dry_run to send exactly this request" +
                  (request.IsIdempotent ? "." : " (it is not idempotent: sending it twice would create twice)."),
    };

    private CallToolResult Fail(string message) => ToolResults.Error(secrets.Scrub(message));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: {Count} invalid argument(s); nothing sent")]
    private static partial void LogRejected(ILogger logger, string tool, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tool} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string tool, Exception exception);
}
