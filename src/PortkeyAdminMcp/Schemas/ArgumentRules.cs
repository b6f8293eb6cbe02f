using System.Globalization;
using System.Text.Json;

namespace PortkeyAdminMcp.Schemas;

/// <summary>Rules across arguments that any tool may state: exclusive pairs, dates in the future, updates with something in them.</summary>
public static class ArgumentRules
{
    /// <summary>The time rules that need "now" read it from here, so tests can fix it.</summary>
    public static TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>An update that names only the record (and maybe dry_run) would send an empty body.</summary>
    /// <param name="locators">The arguments that say which record (an id, and a workspace where Portkey needs one).</param>
    public static IEnumerable<FieldError> SomethingToUpdate(ToolArguments args, params string[] locators)
    {
        if (!args.Names.Any(name => !locators.Contains(name) && name != "dry_run"))
        {
            yield return new FieldError("(arguments)", $"nothing to update: give at least one field besides {string.Join(" and ", locators)}");
        }
    }

    public static IEnumerable<FieldError> Exclusive(ToolArguments args, string first, string second)
    {
        if (args.Has(first) && args.Has(second))
        {
            yield return new FieldError(second, $"cannot be combined with {first}; choose one");
        }
    }

    public static IEnumerable<FieldError> FutureDate(ToolArguments args, string field) =>
        args.String(field) is { } text ? FutureDate(text, field) : [];

    public static IEnumerable<FieldError> FutureDate(string text, string field)
    {
        if (StringSchema.IsDateTime(text) && DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) <= Clock.GetUtcNow())
        {
            yield return new FieldError(field, $"must be in the future (got '{text}')");
        }
    }

    /// <summary>Each item of a list appears once by <paramref name="key"/> (compared without case: ids and slugs are).</summary>
    public static IEnumerable<FieldError> UniqueBy(ToolArguments args, string list, string key)
    {
        if (args.Get(list) is not { ValueKind: JsonValueKind.Array } items)
        {
            yield break;
        }

        foreach (var twice in items.EnumerateArray().Select(item => Text(item, key)).OfType<string>()
                     .GroupBy(value => value, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
        {
            yield return new FieldError(list, $"lists {key} {twice.Key} more than once");
        }
    }

    /// <summary>A string member of a JSON object argument, when it is one.</summary>
    public static string? Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
