using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Security;
using PortkeyAdminMcp.Validation;

namespace PortkeyAdminMcp.Tools;

/// <summary>
/// The one path every tool call takes: secrets registered, arguments checked (all problems at once,
/// nothing sent when any), the operation run, and every failure turned into an isError result whose
/// text has been scrubbed of secrets.
/// </summary>
public sealed partial class ToolRunner(SecretRegistry secrets, ILogger<ToolRunner> logger)
{
    public delegate Task<CallToolResult> Operation(ToolArguments arguments, CancellationToken cancellationToken);

    public async Task<CallToolResult> RunAsync(
        ToolContract contract,
        RequestContext<CallToolRequestParams> context,
        Operation operation,
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
            return await operation(arguments, cancellationToken);
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

    private CallToolResult Fail(string message) => ToolResults.Error(secrets.Scrub(message));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: {Count} invalid argument(s); nothing sent")]
    private static partial void LogRejected(ILogger logger, string tool, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tool} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string tool, Exception exception);
}
