using PortkeyAdminMcp.Schemas;
using static PortkeyAdminMcp.Schemas.CommonSchemas;

namespace PortkeyAdminMcp.AuditLogs;

/// <summary>The arguments of list_audit_logs (reference §11): the time range and the organisation are required by the API.</summary>
public static class AuditLogContracts
{
    /// <summary>The longest range one call asks for: a year, so an agent cannot ask Portkey to scan everything at once.</summary>
    public static readonly TimeSpan LongestRange = TimeSpan.FromDays(366);

    private static StringSchema Filter() => new() { MaxLength = 255 };

    public static readonly ToolContract List = new()
    {
        Input = new ObjectSchema
        {
            Properties =
            [
                new("start_time", DateTime()),
                new("end_time", DateTime("At most 366 days after start_time.")),
                new("organisation_id", Uuid()),
                new("method", new StringSchema { Enum = ["POST", "PUT", "DELETE"] }),
                new("user_id", Uuid("A user's or API key's id.")),
                new("user_type", new StringSchema { Enum = ["user", "api_key"] }),
                new("workspace_id", Filter()),
                new("resource_type", Filter()),
                new("action", Filter()),
                new("uri", Filter()),
                new("request_id", Filter()),
                new("response_status_code", new NumberSchema { Integer = true, Minimum = 100, Maximum = 599 }),
                new("client_ip", Filter()),
                new("country", Filter()),
                new("page_size", PageSize()),
                new("current_page", CurrentPage()),
            ],
            Required = ["start_time", "end_time", "organisation_id"],
        },
        Rules = args => PagingRules(args).Concat(RangeRules(args)),
    };

    private static IEnumerable<FieldError> RangeRules(ToolArguments args)
    {
        if (args.String("start_time") is not { } from || args.String("end_time") is not { } to ||
            !DateTimeOffset.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var start) ||
            !DateTimeOffset.TryParse(to, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var end))
        {
            yield break;
        }

        if (end <= start)
        {
            yield return new FieldError("end_time", "must be after start_time");
        }
        else if (end - start > LongestRange)
        {
            yield return new FieldError("end_time", "must be at most 366 days after start_time (ask for one range at a time)");
        }
    }
}
