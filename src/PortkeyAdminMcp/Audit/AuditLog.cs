using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PortkeyAdminMcp.Calls;

namespace PortkeyAdminMcp.Audit;

/// <summary>PORTKEY_MCP_AUDIT_LOG: a JSON Lines file that gets one line per tools/call.</summary>
public sealed class AuditOptions
{
    public const string Variable = "PORTKEY_MCP_AUDIT_LOG";

    public string? Path { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Path);
}

public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            using var _ = AuditLog.Open(options.Path!);
            return ValidateOptionsResult.Success;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ValidateOptionsResult.Fail($"{AuditOptions.Variable}: cannot append to '{options.Path}' ({exception.Message})");
        }
    }
}

/// <summary>One audit line, as written.</summary>
public sealed class AuditLine
{
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    [JsonPropertyName("tool")]
    public required string Tool { get; init; }

    [JsonPropertyName("decision")]
    public required string Decision { get; init; }

    [JsonPropertyName("rule")]
    public string? Rule { get; init; }

    [JsonPropertyName("dry_run")]
    public bool DryRun { get; init; }

    [JsonPropertyName("is_error")]
    public bool IsError { get; init; }

    [JsonPropertyName("upstream_status")]
    public int? UpstreamStatus { get; init; }

    [JsonPropertyName("upstream_statuses")]
    public IReadOnlyList<int> UpstreamStatuses { get; init; } = [];

    /// <summary>kept, returned or none: the quota the call reserved, and why it went that way.</summary>
    [JsonPropertyName("quota")]
    public string? Quota { get; init; }

    [JsonPropertyName("quota_reason")]
    public string? QuotaReason { get; init; }

    /// <summary>elicitation or browser, when a rule required approval.</summary>
    [JsonPropertyName("approval_channel")]
    public string? ApprovalChannel { get; init; }

    [JsonPropertyName("duration_ms")]
    public double DurationMs { get; init; }

    [JsonPropertyName("arguments")]
    public JsonElement? Arguments { get; init; }

    [JsonPropertyName("pid")]
    public int Pid { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(AuditLine))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;

/// <summary>
/// Appends one line per call and flushes it at once, so a crash loses no finished call. Every field comes from
/// the call itself; the arguments arrive already masked by field and by the call's own secret values
/// (<see cref="CallRecord.Arguments"/>), so nothing an agent sent in one call can blank out a word of another line.
/// </summary>
public sealed partial class AuditLog(IOptions<AuditOptions> options, ILogger<AuditLog> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _file;

    public bool Enabled => options.Value.Enabled;

    public static FileStream Open(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var settings = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows())
        {
            settings.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(full, settings);
    }

    public async Task WriteAsync(CallRecord record, bool isError)
    {
        if (!Enabled)
        {
            return;
        }

        var statuses = record.UpstreamStatuses;
        var line = new AuditLine
        {
            Time = record.Started,
            Tool = record.Tool,
            Decision = record.Decision,
            Rule = record.Rule,
            DryRun = record.DryRun,
            IsError = isError,
            UpstreamStatus = record.UpstreamStatus ?? (statuses.Count > 0 ? statuses[^1] : null),
            UpstreamStatuses = statuses,
            Quota = record.Quota,
            QuotaReason = record.QuotaReason,
            ApprovalChannel = record.ApprovalChannel,
            DurationMs = Math.Round(record.Elapsed.TotalMilliseconds, 1),
            Arguments = record.Arguments,
            Pid = Environment.ProcessId,
        };
        byte[] bytes;
        try
        {
            bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(line, AuditJsonContext.Default.AuditLine) + "\n");
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Text no writer accepts still leaves a line: the call happened and the auditor is told so.
            LogWriteFailed(logger, record.Tool, exception.GetType().Name);
            bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new AuditLine
            {
                Time = record.Started,
                Tool = "(unprintable tool name)",
                Decision = record.Decision,
                IsError = isError,
                Pid = Environment.ProcessId,
            }, AuditJsonContext.Default.AuditLine) + "\n");
        }
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            _file ??= Open(options.Value.Path!);
            await _file.WriteAsync(bytes, CancellationToken.None);
            await _file.FlushAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(logger, record.Tool, exception.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _file?.Dispose();
        _gate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit line for {Tool} could not be written: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string tool, string reason);
}
