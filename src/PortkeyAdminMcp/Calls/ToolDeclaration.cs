using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;
using PortkeyAdminMcp.Portkey;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Calls;

/// <summary>What a tool does to Portkey; it fixes the tool's MCP annotations, so they cannot be stated dishonestly.</summary>
public enum ToolEffect
{
    /// <summary>Reads only: read-only, idempotent.</summary>
    Read,

    /// <summary>Creates a record: not destructive, not idempotent (sending it twice creates twice).</summary>
    Create,

    /// <summary>Changes a record: destructive (it can remove access), idempotent (the same body sets the same state).</summary>
    Update,

    /// <summary>Removes a record: destructive, idempotent.</summary>
    Delete,

    /// <summary>Replaces a secret or resets a state: destructive and not idempotent (a rotation).</summary>
    Reissue,
}

/// <summary>
/// One tool, declared once: its name, title, effect, description, input contract, output type and the two steps of
/// a call — <see cref="ToolDeclaration{TResult}.Plan"/> (the exact request, reads it needs included) and
/// <see cref="ToolDeclaration{TResult}.Execute"/> (send it, shape the result). Everything else — the published
/// tool, its output schema (generated from the output type), validation, policy, approval, audit, read-only mode
/// and toolsets — derives from it.
/// </summary>
public abstract class ToolDeclaration
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary>The toolset it belongs to (e.g. keys); a toolset switched off neither lists nor runs it.</summary>
    public required string Toolset { get; init; }

    public required ToolEffect Effect { get; init; }

    /// <summary>The description, as a function of the server's configuration (where secrets go, which references work).</summary>
    public required Func<ToolEnvironment, string> Description { get; init; }

    public required ToolContract Input { get; init; }

    /// <summary>Read-only tools stay listed and callable in read-only mode.</summary>
    public bool IsReadOnly => Effect == ToolEffect.Read;

    /// <summary>Write tools may be asked for a dry run, whose result is the request instead of the outcome.</summary>
    public bool CanDryRun => Effect != ToolEffect.Read;

    /// <summary>
    /// Whether the tool is offered at all in this configuration (await_approval only where a rule can ask on the page);
    /// a tool that is not is neither listed nor callable. Toolsets and read-only mode apply on top.
    /// </summary>
    public Func<IServiceProvider, bool>? OfferedWhen { get; init; }

    /// <summary>
    /// What this tool's refusals mean, by HTTP status, where Portkey's generic meaning would mislead: an Enterprise-only
    /// endpoint's 403, a delete that dependents block (409).
    /// </summary>
    public IReadOnlyDictionary<int, string>? Hints { get; init; }

    public abstract JsonTypeInfo OutputType { get; }

    public abstract Task<PortkeyRequest> PlanAsync(ToolCall call, CancellationToken cancellationToken);

    public abstract Task<CallToolResult> ExecuteAsync(ToolCall call, PortkeyRequest request, CancellationToken cancellationToken);

    public ToolAnnotations Annotations => new()
    {
        ReadOnlyHint = Effect == ToolEffect.Read,
        DestructiveHint = Effect is ToolEffect.Update or ToolEffect.Delete or ToolEffect.Reissue,
        IdempotentHint = Effect is ToolEffect.Read or ToolEffect.Update or ToolEffect.Delete,
        OpenWorldHint = true,
    };
}

/// <summary>A tool that sends nothing to Portkey of its own (await_approval): it runs, with no plan, dry run or approval.</summary>
public interface ILocalTool
{
    Task<CallToolResult> RunAsync(ToolCall call, CancellationToken cancellationToken);
}

/// <summary>A local tool whose result is a <typeparamref name="TResult"/>.</summary>
public sealed class LocalToolDeclaration<TResult> : ToolDeclaration, ILocalTool
{
    /// <summary>The result's JSON contract, fetched when first needed: creating 60-odd contracts at start-up cost start-up time.</summary>
    public required Func<JsonTypeInfo<TResult>> Output { get; init; }

    public required Func<ToolCall, CancellationToken, Task<TResult>> Run { get; init; }

    public override JsonTypeInfo OutputType => Output();

    public override Task<PortkeyRequest> PlanAsync(ToolCall call, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{Name} sends nothing to Portkey and has no plan.");

    public override Task<CallToolResult> ExecuteAsync(ToolCall call, PortkeyRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{Name} sends nothing to Portkey.");

    async Task<CallToolResult> ILocalTool.RunAsync(ToolCall call, CancellationToken cancellationToken) =>
        ToolResults.Success(await Run(call, cancellationToken), Output());
}

/// <summary>A tool whose successful result is a <typeparamref name="TResult"/>, serialised by its source-generated contract.</summary>
public sealed class ToolDeclaration<TResult> : ToolDeclaration
{
    /// <summary>The result's JSON contract, fetched when first needed: creating 60-odd contracts at start-up cost start-up time.</summary>
    public required Func<JsonTypeInfo<TResult>> Output { get; init; }

    /// <summary>Resolves the validated, normalised arguments into the one request that would change (or read) Portkey.</summary>
    public required Func<ToolCall, CancellationToken, Task<PortkeyRequest>> Plan { get; init; }

    /// <summary>Sends the planned request and shapes what the call returns.</summary>
    public required Func<ToolCall, PortkeyRequest, CancellationToken, Task<TResult>> Execute { get; init; }

    public override JsonTypeInfo OutputType => Output();

    public override Task<PortkeyRequest> PlanAsync(ToolCall call, CancellationToken cancellationToken) => Plan(call, cancellationToken);

    public override async Task<CallToolResult> ExecuteAsync(ToolCall call, PortkeyRequest request, CancellationToken cancellationToken) =>
        ToolResults.Success(await Execute(call, request, cancellationToken), Output());
}

/// <summary>The plan and execute steps most tools share, so a declaration states only what is its own.</summary>
public static class ToolSteps
{
    /// <summary>A plan that needs nothing but the arguments.</summary>
    public static Func<ToolCall, CancellationToken, Task<PortkeyRequest>> Plan(Func<ToolArguments, PortkeyRequest> plan) =>
        (call, _) => Task.FromResult(plan(call.Arguments));

    /// <summary>
    /// A plan whose mapping can find problems the schema cannot (a ${env:} that is not set): all of them refuse the
    /// call together, nothing sent.
    /// </summary>
    public static Func<ToolCall, CancellationToken, Task<PortkeyRequest>> Checked(Func<ToolCall, List<FieldError>, PortkeyRequest> plan) =>
        (call, _) =>
        {
            var errors = new List<FieldError>();
            var request = plan(call, errors);
            return errors.Count > 0 ? throw new ToolInputException(errors) : Task.FromResult(request);
        };

    /// <summary>An execution that reads Portkey's answer as a record and turns it into the result.</summary>
    public static Func<ToolCall, PortkeyRequest, CancellationToken, Task<TResult>> Read<TRecord, TResult>(JsonTypeInfo<TRecord> record, Func<TRecord, TResult> shape) =>
        async (call, request, cancellationToken) => shape(await call.Portkey.SendAsync(request, record, cancellationToken));

    /// <summary>
    /// An execution for a list: one page read as records, shaped item by item, with what Portkey does not say (whether
    /// there is more). <paramref name="sentSize"/> is the page size the plan sends when the call gives none.
    /// </summary>
    public static Func<ToolCall, PortkeyRequest, CancellationToken, Task<Page<TItem>>> List<TRecord, TItem>(
        JsonTypeInfo<PageRecord<TRecord>> page, Func<TRecord, TItem> shape, long? sentSize = null) =>
        async (call, request, cancellationToken) =>
        {
            var answer = await call.Portkey.SendAsync(request, page, cancellationToken);
            return Page.From([.. (answer.Data ?? []).Select(shape)], answer.Total, call.Arguments.Integer("page_size") ?? sentSize, call.Arguments.Integer("current_page") ?? 0);
        };

    /// <summary>
    /// An execution for an update whose answer is only "done": sent, then the record read back (Portkey answers ids
    /// or {}), and the result shaped from it — the record is null when the read-back failed, as the message says.
    /// </summary>
    public static Func<ToolCall, PortkeyRequest, CancellationToken, Task<TResult>> SendAndReadBack<TRecord, TResult>(
        Func<ToolArguments, PortkeyRequest> get, JsonTypeInfo<TRecord> record, Func<ToolCall, string, TRecord?, TResult> shape)
        where TRecord : class =>
        async (call, request, cancellationToken) =>
        {
            await call.Portkey.SendForEffectAsync(request, cancellationToken);
            var (after, message) = await call.Portkey.ReadBackAsync(get(call.Arguments), record, cancellationToken);
            return shape(call, message, after);
        };

    /// <summary>An execution for a write whose answer says nothing more than "done" (a delete): any 2xx is success.</summary>
    public static Func<ToolCall, PortkeyRequest, CancellationToken, Task<TResult>> Send<TResult>(Func<ToolCall, TResult> shape) =>
        async (call, request, cancellationToken) =>
        {
            await call.Portkey.SendForEffectAsync(request, cancellationToken);
            return shape(call);
        };
}
