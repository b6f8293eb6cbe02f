using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using PortkeyAdminMcp.Approvals;
using PortkeyAdminMcp.Audit;
using PortkeyAdminMcp.Configuration;
using PortkeyAdminMcp.Hosting;
using PortkeyAdminMcp.Policy;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Calls;

/// <summary>
/// The one path every tool call takes: the call's own secrets noted, arguments checked (all problems at once, nothing
/// sent when any) and normalised, the policy asked (rules and quota, before anything reaches Portkey), the exact
/// request planned (reads needed to resolve it included), the user asked if a rule says so, then either shown
/// (<c>dry_run</c>) or sent; every result masked of secrets, and the quota given back only when Portkey certainly
/// did not change.
/// </summary>
public sealed partial class ToolRunner(
    SecretRegistry secrets,
    IOptions<PortkeyOptions> options,
    PolicyGuard guard,
    PendingApprovals approvals,
    ApprovalPage page,
    IOptions<ApprovalOptions> approvalOptions,
    IBrowserOpener opener,
    AuditLog audit,
    ClientConnection client,
    TimeProvider clock,
    IServiceProvider services,
    ILogger<ToolRunner> logger)
{
    public async Task<CallToolResult> RunAsync(ToolDeclaration tool, RequestContext<CallToolRequestParams> context, CancellationToken requestCancelled)
    {
        // A client that has gone (stdin closed, after its grace) will read no answer: every wait of the call ends with it.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestCancelled, client.Gone);
        var cancellationToken = linked.Token;
        var contract = tool.Input;
        var record = CallRecord.Current ?? new CallRecord(tool.Name, clock.GetUtcNow());
        using var scope = CallRecord.Current is null ? CallRecord.Begin(record) : null;

        var raw = ToolArguments.From(context.Params?.Arguments);
        foreach (var secret in contract.SecretValues(raw))
        {
            record.Secrets.Add(secret);
        }

        record.Arguments = contract.Masked(raw, text => Redact(record, text));
        var errors = contract.Check(raw);
        if (errors.Count > 0)
        {
            record.Decide(AuditDecisions.Invalid, null);
            record.SettleQuota(QuotaDispositions.None, null);
            LogRejected(logger, tool.Name, errors.Count);
            return Fail(record, ToolResults.InvalidArguments(tool.Name, errors));
        }

        // From here on the arguments are in the one spelling Portkey treats as the same, for the policy and the request alike.
        var arguments = contract.Normalize(raw);
        record.Arguments = contract.Masked(arguments, text => Redact(record, text));
        var dryRun = arguments.Boolean("dry_run") == true;
        record.DryRun = dryRun;

        // A dry run is judged by the rules but spends no quota and asks nobody: nothing will be sent. Neither does a
        // local tool (await_approval), so a wildcard rate limit cannot hold a unit it would never give back.
        var admission = dryRun || tool is ILocalTool
            ? await guard.CheckAsync(tool.Name, arguments, cancellationToken)
            : await guard.AdmitAsync(tool.Name, arguments, cancellationToken);
        record.Decide(admission.Decision, admission.Rule);
        if (!admission.Allowed)
        {
            record.SettleQuota(QuotaDispositions.None, null);
            return Fail(record, PolicyGuard.DeniedPrefix + admission.Message);
        }

        var call = new ToolCall(tool, arguments, record, services, context);
        if (tool is ILocalTool local)
        {
            // A tool that sends nothing to Portkey (await_approval): no plan, no dry run, no approval.
            var (localResult, _, _) = await RunStepAsync(tool, record, () => local.RunAsync(call, cancellationToken), requestCancelled, cancellationToken);
            record.SettleQuota(QuotaDispositions.None, null);
            return localResult;
        }

        PortkeyRequest? request = null;
        var deferred = false;
        var outcome = (Result: (CallToolResult?)null, Succeeded: false, NothingSentBecause: "it was not sent");
        try
        {
            outcome = await RunStepAsync(tool, record, async () =>
            {
                request = await tool.PlanAsync(call, cancellationToken);
                record.MainRequest = request;
                if (dryRun)
                {
                    return ToolResults.Success(DryRun(record, request), CallsJsonContext.Default.DryRunResult);
                }

                admission = await guard.ApproveAsync(admission, tool.Name, () => DescribeForApproval(record, tool.Name, request), context.Server, cancellationToken);
                record.Decide(admission.Decision, admission.Rule);
                if (admission.OnPage is { } rule)
                {
                    // Once an approval exists, its decision settles the quota and writes the audit line, whatever comes after.
                    var asked = await DeferToPageAsync(tool, call, request, record, admission, rule, cancellationToken);
                    deferred = true;
                    return asked;
                }

                if (!admission.Allowed)
                {
                    throw new NotApprovedException(PolicyGuard.DeniedPrefix + admission.Message);
                }

                return await tool.ExecuteAsync(call, request, cancellationToken);
            }, requestCancelled, cancellationToken);
            return outcome.Result!;
        }
        finally
        {
            if (!deferred)
            {
                await SettleQuotaAsync(record, admission, outcome.Succeeded || (dryRun && outcome.Result is not null), outcome.NothingSentBecause);
            }
        }
    }

    /// <summary>
    /// Runs one step of a call and turns whatever it throws into the result the agent gets: invalid arguments found
    /// late, Portkey's refusal with its hint, a transport failure, a cancellation, an unexpected fault (type only).
    /// Every result is masked of the server's secrets and the call's own.
    /// </summary>
    private async Task<(CallToolResult Result, bool Succeeded, string NothingSentBecause)> RunStepAsync(
        ToolDeclaration tool, CallRecord record, Func<Task<CallToolResult>> step, CancellationToken requestCancelled, CancellationToken cancellationToken)
    {
        try
        {
            var result = await step();
            return (Scrubbed(record, result), result.IsError != true, "it was not sent");
        }
        catch (ToolInputException exception)
        {
            record.Decide(AuditDecisions.Invalid, null);
            return (Fail(record, ToolResults.InvalidArguments(tool.Name, exception.Errors)), false, "its arguments did not fit the record");
        }
        catch (NotApprovedException exception)
        {
            return (Fail(record, exception.Message), false, "approval was not given");
        }
        catch (PortkeyApiException exception)
        {
            return (Fail(record, ToolResults.Upstream(exception.Error, $"{tool.Name} ({exception.Operation})", text => Redact(record, text), tool.Hints)), false,
                $"Portkey refused it (HTTP {exception.Error.Status})");
        }
        catch (Exception exception) when (exception is PortkeyException or ToolFailureException)
        {
            return (Fail(record, exception.Message), false, exception is PortkeyNotConfiguredException ? "no API key is set" : "no write reached Portkey");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled by the client, or the client went away: not a fault of this server, and nobody to answer.
            record.Decide(AuditDecisions.Cancelled, record.Rule);
            if (requestCancelled.IsCancellationRequested)
            {
                throw;
            }

            // The SDK reports an exception it did not cancel as a fault of the tool; a departed client is not one.
            return (Fail(record, $"{tool.Name} was abandoned: the client went away before it finished."), false, "it was cancelled before anything was sent");
        }
        catch (Exception exception)
        {
            // Type only: a message could quote what the agent sent.
            LogUnexpected(logger, tool.Name, exception.GetType().Name);
            return (Fail(record, $"{tool.Name} failed inside this server ({exception.GetType().Name}). The server logged the details on stderr."), false,
                "no write reached Portkey");
        }
    }

    /// <summary>
    /// The client cannot show a dialog: the call answers at once with the local page's link, holding its quota, and its
    /// audit line waits for the decision. Only the exact planned request can be sent, once, and only by an Approve on
    /// that page; a decline, the expiry or the server's exit gives the quota back and sends nothing.
    /// </summary>
    private async Task<CallToolResult> DeferToPageAsync(
        ToolDeclaration tool, ToolCall call, PortkeyRequest request, CallRecord record, Admission admission, PolicyRule rule, CancellationToken cancellationToken)
    {
        record.SetApprovalChannel(ApprovalChannels.Browser);
        // The page listens before an approval exists: a port that cannot be had refuses the call now, quota given back.
        var origin = await page.EnsureStartedAsync(cancellationToken);
        var approval = approvals.Create(tool.Name, rule.Name, Preview(record, request), rule.ApprovalTimeout,
            send: async sendCancelled =>
            {
                using var scope = CallRecord.Begin(record);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(sendCancelled, client.Gone);
                record.Decide(AuditDecisions.Approved, rule.Name);
                LogApprovedOnPage(logger, tool.Name, rule.Name);
                var outcome = (Result: (CallToolResult?)null, Succeeded: false, NothingSentBecause: "the server stopped before it was sent");
                try
                {
                    // Nobody waits on this call's own request any more: a stop or a departed client ends in a result, never a throw.
                    outcome = await RunStepAsync(tool, record, () => tool.ExecuteAsync(call, request, linked.Token), CancellationToken.None, linked.Token);
                }
                finally
                {
                    await SettleQuotaAsync(record, admission, outcome.Succeeded, outcome.NothingSentBecause);
                    await audit.WriteAsync(record, !outcome.Succeeded);
                }

                return new SentCall(outcome.Result!, record.DeliveredSecret);
            },
            refuse: async reason =>
            {
                record.Decide(AuditDecisions.Declined, rule.Name);
                await SettleQuotaAsync(record, admission, succeeded: false, $"approval was not given ({reason})");
                await audit.WriteAsync(record, isError: true);
            });
        record.DeferAudit();

        var opened = approvalOptions.Value.OpenBrowser;
        if (opened && !opener.TryOpen(ApprovalPage.DecisionUrl(origin, approval)))
        {
            await approval.AbandonAsync("the server could not open the approval page in the user's browser");
            return Fail(record, PolicyGuard.DeniedPrefix +
                $"Policy rule \"{rule.Name}\" requires a human to approve {tool.Name}, and the server could not open the approval page in the user's " +
                $"browser ({ApprovalOptions.OpenVariable}=true). Nothing was sent.");
        }

        // Opened by the server, the page's token never passes through the agent: the agent gets an address that names
        // the approval but cannot decide it. Otherwise the agent must relay the link, token and all.
        var url = opened ? ApprovalPage.PageUrl(origin, approval) : ApprovalPage.DecisionUrl(origin, approval);
        var ask = opened
            ? $"The approval page has opened in the user's browser; ask them to approve or decline this {tool.Name} there"
            : $"Show the user this link to approve or decline it in their browser: {url}";
        return ToolResults.Success(new ApprovalRequired
        {
            Status = ApprovalRequired.StatusValue,
            ApprovalId = approval.Id,
            ApprovalUrl = url,
            ExpiresAt = approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            Rule = rule.Name,
            Request = approval.Request,
            Message = $"Policy rule \"{rule.Name}\" requires a human to approve this {tool.Name} on the local approval page. {ask} — then call " +
                      $"await_approval with approval_id \"{approval.Id}\" to get the result. Nothing is sent unless the user approves on that page.",
        }, CallsJsonContext.Default.ApprovalRequired);
    }

    /// <summary>
    /// A unit of quota is spent once a write may have happened, and given back only when the call certainly changed
    /// nothing upstream: refused before sending, never connected, or answered with a 4xx. A timeout, a 5xx, a broken
    /// or incomplete answer to a write proves nothing, so its quota stays spent.
    /// </summary>
    private async Task SettleQuotaAsync(CallRecord record, Admission admission, bool succeeded, string nothingSentBecause)
    {
        if (!admission.HoldsQuota)
        {
            record.SettleQuota(QuotaDispositions.None, null);
            return;
        }

        if (succeeded || record.MayHaveChangedPortkey)
        {
            record.SettleQuota(QuotaDispositions.Kept, record.ChangeEvidence ?? "the call succeeded");
            return;
        }

        try
        {
            await admission.ReleaseAsync();
            record.SettleQuota(QuotaDispositions.Returned, $"nothing changed upstream: {nothingSentBecause}");
            LogQuotaReturned(logger, record.Tool, nothingSentBecause);
        }
        catch (Exception exception)
        {
            // The call's own outcome matters more than its quota: the counter stays one too high until its window ends.
            LogReleaseFailed(logger, record.Tool, exception.GetType().Name);
            record.SettleQuota(QuotaDispositions.Kept, "it could not be given back: the counter store failed");
        }
    }

    /// <summary>
    /// What the user approves: the tool, the method and address exactly as they will be sent, and the body with its
    /// secret fields and this call's secret values masked. Nothing here is rewritten by matching text an agent chose.
    /// </summary>
    private string DescribeForApproval(CallRecord record, string tool, PortkeyRequest request)
    {
        var preview = Preview(record, request);
        var text = new System.Text.StringBuilder()
            .Append("Tool: ").Append(tool).Append('\n')
            .Append("Request: ").Append(preview.Method).Append(' ').Append(preview.Url);
        if (preview.Body is { } body)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                body.WriteTo(writer);
            }

            text.Append("\nBody:\n").Append(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        if (preview.Changes is { } changes)
        {
            text.Append("\nChanges: ").Append(changes.GetRawText());
        }

        return VisibleText.Escape(text.ToString());
    }

    /// <summary>The request exactly as it would be sent, with every secret in the body masked.</summary>
    public RequestPreview Preview(CallRecord? record, PortkeyRequest request) => new()
    {
        Method = request.Method.Method,
        Url = new Uri(options.Value.BaseAddress, request.RelativeUri).ToString(),
        Path = "/" + request.Path,
        Query = request.Query.Count == 0 ? null : request.Query.ToDictionary(p => p.Key, p => p.Value),
        Body = request.Body is null ? null : MaskedBody(record, request),
        Changes = request.Changes is null ? null : MaskStrings(JsonSerializer.SerializeToElement<JsonNode>(request.Changes, CallsJsonContext.Default.JsonNode), text => Redact(record, text)),
    };

    private JsonElement MaskedBody(CallRecord? record, PortkeyRequest request)
    {
        var body = (JsonObject)request.Body!.DeepClone();
        foreach (var field in request.SecretFields)
        {
            // A secret inside an object (configurations.aws_secret_access_key) is named parent.child.
            var (parent, name) = field.IndexOf('.', StringComparison.Ordinal) is var dot and > 0
                ? (body[field[..dot]] as JsonObject, field[(dot + 1)..])
                : (body, field);
            if (parent is not null && parent.ContainsKey(name))
            {
                parent[name] = SecretRegistry.Mask;
            }
        }

        using var document = JsonDocument.Parse(body.ToJsonString());
        return MaskStrings(document.RootElement, text => Redact(record, text));
    }

    private static JsonElement MaskStrings(JsonElement value, Func<string, string> mask) => value.ValueKind switch
    {
        JsonValueKind.String => JsonValues.String(mask(value.GetString()!)),
        JsonValueKind.Array => JsonValues.Array(value.EnumerateArray().Select(item => MaskStrings(item, mask))),
        // Names too: an upstream answer copied through (pricing, tags, usage maps) may carry a secret as a key.
        JsonValueKind.Object => JsonValues.Object(value.EnumerateObject().Select(m => new KeyValuePair<string, JsonElement>(mask(m.Name), MaskStrings(m.Value, mask)))),
        _ => value.Clone(),
    };

    private DryRunResult DryRun(CallRecord record, PortkeyRequest request) => new()
    {
        IsDryRun = true,
        Request = Preview(record, request),
        Message = "Dry run: nothing was sent to Portkey. Call again without dry_run to send exactly this request" +
                  (request.IsIdempotent ? "." : " (it is not idempotent: sending it twice would create twice)."),
    };

    /// <summary>The server's secrets and this call's own, masked in a text; the secret this call delivers on purpose is left alone.</summary>
    private string Redact(CallRecord? record, string text) =>
        secrets.ScrubValues(text, record?.Secrets.Values ?? [], record?.DeliveredSecret);

    /// <summary>
    /// A result carries nothing secret that it did not mean to: an upstream that echoes a provider key or another
    /// key's one-time secret in a 200 body (a name, a slug, model_config) has it masked here, field by field.
    /// </summary>
    private CallToolResult Scrubbed(CallRecord record, CallToolResult result)
    {
        if (result.StructuredContent is { } structured)
        {
            var masked = MaskStrings(structured, text => Redact(record, text));
            return new CallToolResult
            {
                IsError = result.IsError,
                StructuredContent = masked,
                Content = [new TextContentBlock { Text = ToolResults.TextOf(masked) }],
            };
        }

        return result.IsError == true && result.Content is [TextContentBlock error] ? Fail(record, error.Text) : result;
    }

    /// <summary>An approval rule said no (declined, timed out, no way to ask): the message says which.</summary>

    private CallToolResult Fail(CallRecord? record, string message) =>
        ToolResults.Error(SecretRegistry.ScrubSecretProperties(Redact(record, message)));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: {Count} invalid argument(s); nothing sent")]
    private static partial void LogRejected(ILogger logger, string tool, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Tool} failed, and its policy quota could not be given back ({Type})")]
    private static partial void LogReleaseFailed(ILogger logger, string tool, string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: policy quota given back, since nothing changed upstream: {Reason}")]
    private static partial void LogQuotaReturned(ILogger logger, string tool, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Tool}: approved on the approval page under policy rule {Rule}")]
    private static partial void LogApprovedOnPage(ILogger logger, string tool, string rule);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Tool} failed unexpectedly ({Type})")]
    private static partial void LogUnexpected(ILogger logger, string tool, string type);
}
