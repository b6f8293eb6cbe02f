using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Schemas;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PortkeyAdminMcp.Policy;

/// <summary>Durations and windows: approval timeouts and counter windows.</summary>
public sealed partial class PolicyLoader
{
    /// <summary>"90s", "10m", "2h", "1d"; a plain number is seconds.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        var match = text is null ? Match.Empty : DurationPattern().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return null;
        }

        var unit = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "" or "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(1),
        };
        // Compared before multiplying, so no amount can overflow a TimeSpan.
        return amount <= TimeSpan.FromDays(1).Ticks / unit.Ticks ? unit * amount : null;
    }

    private static CounterWindow? ParseWindow(string? text) => text switch
    {
        "minute" => CounterWindow.Minute,
        "hour" => CounterWindow.Hour,
        "day" => CounterWindow.Day,
        _ => null,
    };

    public static string WindowName(CounterWindow window) => window switch
    {
        CounterWindow.Minute => "minute",
        CounterWindow.Hour => "hour",
        _ => "day",
    };

    [GeneratedRegex(@"^([0-9]{1,19})(ms|s|m|h|d)?\z")]
    private static partial Regex DurationPattern();
}
