using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Audit;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>
/// The one path every tool call takes: secrets registered, arguments checked (all problems at once, nothing
/// sent when any), the policy asked (rules and quota, before anything reaches Portkey), the exact request planned
/// (reads needed to resolve it included), the user asked if a rule says so, then either shown (<c>dry_run</c>) or
/// sent, and every failure turned into an isError result scrubbed of secrets, its quota given back.
/// </summary>
public sealed partial class ToolRunner(SecretRegistry secrets, IOptions<PortkeyOptions> options, PolicyGuard guard, ILogger<ToolRunner> logger)
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

        var record = CallRecord.Current;
        var errors = contract.Check(arguments);
        if (errors.Count > 0)
        {
            record?.Decide(AuditDecisions.Invalid, null);
            LogRejected(logger, contract.Name, errors.Count);
            return Fail(ToolResults.InvalidArguments(contract.Name, errors));
        }

        var dryRun = arguments.Boolean("dry_run") == true;
        if (record is not null)
        {
            record.DryRun = dryRun;
        }

        // A dry run is judged by the rules but spends no quota and asks nobody: nothing will be sent.
        var admission = dryRun
            ? await guard.CheckAsync(contract.Name, arguments, cancellationToken)
            : await guard.AdmitAsync(contract.Name, arguments, cancellationToken);
        record?.Decide(admission.Decision, admission.Rule);
        if (!admission.Allowed)
        {
            return Fail(PolicyGuard.DeniedPrefix + admission.Message);
        }

        var succeeded = false;
        try
        {
            var request = await plan(arguments, cancellationToken);
            if (record is not null)
            {
                record.MainRequest = request;
            }

            if (dryRun)
            {
                succeeded = true;
                return ToolResults.Success(DryRun(request), ToolJsonContext.Default.DryRunResult);
            }

            admission = await guard.ApproveAsync(admission, contract.Name, () => DescribeForApproval(contract.Name, request), context.Server, cancellationToken);
            record?.Decide(admission.Decision, admission.Rule);
            if (!admission.Allowed)
            {
                succeeded = true;
                return Fail(PolicyGuard.DeniedPrefix + admission.Message);
            }

            var result = await execute(arguments, request, cancellationToken);
            succeeded = result.IsError != true;
            return result;
        }
        catch (ToolInputException exception)
        {
            record?.Decide(AuditDecisions.Invalid, null);
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
        finally
        {
            // A failed call spends no quota (a declined one was given back already; releasing twice is harmless).
            if (!succeeded)
            {
                await ReleaseAsync(contract.Name, admission);
            }
        }
    }

    private async Task ReleaseAsync(string tool, Admission admission)
    {
        try
        {
            await admission.ReleaseAsync();
        }
        catch (Exception exception)
        {
            // The call's own outcome matters more than its quota: the counter stays one too high until its window ends.
            LogReleaseFailed(logger, tool, exception.GetType().Name);
        }
    }

    /// <summary>What the user approves: the tool and the exact request, method, address and body, secrets masked.</summary>
    private string DescribeForApproval(string tool, PortkeyRequest request)
    {
        var preview = Preview(request);
        var text = new System.Text.StringBuilder()
            .Append("Tool: ").Append(tool).Append('\n')
            .Append("Request: ").Append(preview.Method).Append(' ').Append(preview.Url);
        if (preview.Body is { } body)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                body.WriteTo(writer);
            }

            text.Append("\nBody:\n").Append(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        return text.ToString();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} failed, and its policy quota could not be given back ({Type})")]
    private static partial void LogReleaseFailed(ILogger logger, string tool, string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tool} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string tool, Exception exception);
}
