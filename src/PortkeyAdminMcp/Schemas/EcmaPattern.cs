using System.Text;
using System.Text.RegularExpressions;

namespace PortkeyAdminMcp.Schemas;

/// <summary>
/// Compiles a pattern written for JSON Schema (ECMA-262) or a policy file (RE2) so that .NET enforces what the
/// published text means. The difference that matters: without the multiline flag those dialects read <c>$</c> as
/// the end of the input, while .NET's <c>$</c> also matches before a final newline, so <c>"&lt;uuid&gt;\n"</c> would
/// pass <c>^…$</c> here and reach a URL as <c>%0A</c>. Every unescaped <c>$</c> outside a character class becomes
/// <c>\z</c>, and <c>\d</c> becomes <c>[0-9]</c> (.NET's also takes other scripts' digits).
/// </summary>
public static class EcmaPattern
{
    /// <summary>
    /// ECMAScript mode gives ASCII <c>\w</c>, <c>\s</c>, <c>\d</c> and <c>\b</c>, as ECMA-262 and RE2 read them (.NET's own
    /// take Cyrillic letters and other scripts' digits). It never depends on the culture: no case-insensitive option is used.
    /// </summary>
    public static Regex Compile(string pattern, TimeSpan? timeout = null) =>
        new(Translate(pattern), RegexOptions.ECMAScript, timeout ?? Regex.InfiniteMatchTimeout);

    // RE2's POSIX classes, which .NET would read as literal characters.
    private static readonly Dictionary<string, string> s_posix = new(StringComparer.Ordinal)
    {
        ["[:alpha:]"] = "A-Za-z",
        ["[:digit:]"] = "0-9",
        ["[:alnum:]"] = "A-Za-z0-9",
        ["[:upper:]"] = "A-Z",
        ["[:lower:]"] = "a-z",
        ["[:space:]"] = "\\t\\n\\v\\f\\r ",
        ["[:word:]"] = "A-Za-z0-9_",
        ["[:xdigit:]"] = "0-9A-Fa-f",
        ["[:punct:]"] = "!-/:-@\\[-`{-~",
    };

    public static string Translate(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 8);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                if (next == 'd')
                {
                    result.Append(inClass ? "0-9" : "[0-9]");
                }
                else
                {
                    result.Append(c).Append(next);
                }

                continue;
            }

            if (inClass)
            {
                if (c == '[' && s_posix.Keys.FirstOrDefault(k => string.CompareOrdinal(pattern, i, k, 0, k.Length) == 0) is { } posix)
                {
                    result.Append(s_posix[posix]);
                    i += posix.Length - 1;
                    continue;
                }

                inClass = c != ']';
                result.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    result.Append(c);
                    // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        result.Append(pattern[++i]);
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        result.Append(pattern[++i]);
                    }

                    break;
                case '$':
                    result.Append(@"\z");
                    break;
                default:
                    result.Append(c);
                    break;
            }
        }

        return result.ToString();
    }
}
