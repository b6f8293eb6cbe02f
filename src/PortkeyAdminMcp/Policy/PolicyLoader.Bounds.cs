using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PortkeyAdminMcp.Schemas;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PortkeyAdminMcp.Policy;

/// <summary>Bounds: a hostile file is read bounded in size and time, and its nesting and size checked before a tree is built.</summary>
public sealed partial class PolicyLoader
{
    /// <summary>A policy is a page of YAML; anything larger is a mistake (or /dev/zero) and is refused unread.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Deeper than any sensible policy, shallow enough that no reader of it can run out of stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>YAML events (scalars, starts and ends) a policy may hold, and nodes a condition value may expand to through aliases.</summary>
    public const int MaxEvents = 100_000;

    public const int MaxValueNodes = 1_000;

    /// <summary>A pipe or a device that never ends a read must not hold the start-up: reading gives up after this.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private static (string? Text, string? Problem) ReadBounded(string path)
    {
        var read = Task.Run(() =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            var buffer = new byte[MaxFileBytes + 1];
            var total = 0;
            int count;
            while (total < buffer.Length && (count = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += count;
            }

            return total > MaxFileBytes ? null : new UTF8Encoding(false).GetString(buffer, 0, total).TrimStart('\uFEFF');
        });
        try
        {
            if (!read.Wait(ReadTimeout))
            {
                return (null, $"could not be read within {ReadTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s (a pipe or a device rather than a file?)");
            }

            return read.Result is { } text ? (text, null) : (null, $"is larger than {MaxFileBytes / 1024} KiB; a policy file is a page of YAML");
        }
        catch (AggregateException aggregate) when (aggregate.InnerException is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            var exception = aggregate.InnerException!;
            return (null, $"cannot be read ({exception.GetType().Name}: {exception.Message})");
        }
    }

    /// <summary>
    /// A first pass over the YAML events, which needs no recursion: nesting deeper than <see cref="MaxDepth"/> or
    /// more than <see cref="MaxEvents"/> events is refused before any tree is built, so no file can exhaust the
    /// stack or the memory of this process.
    /// </summary>
    private bool WithinBounds(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        var events = 0;
        while (parser.MoveNext())
        {
            if (++events > MaxEvents)
            {
                Problem(parser.Current!.Start.Line, "yaml", $"has more than {MaxEvents} YAML nodes; a policy file is a page of YAML");
                return false;
            }

            switch (parser.Current)
            {
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    Problem(parser.Current.Start.Line, "yaml", $"is nested more than {MaxDepth} levels deep");
                    return false;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
                default:
                    break;
            }
        }

        return true;
    }
}
