using System.Globalization;
using System.Text;

namespace PortkeyAdminMcp.Calls;

/// <summary>
/// Characters that change how text is drawn without being seen (bidirectional overrides and isolates, zero-width
/// marks) shown as escapes wherever a human approves a request — the client's dialog and the local page alike — so
/// the text approved reads as what will be sent.
/// </summary>
public static class VisibleText
{
    public static string Escape(string text)
    {
        if (!text.Any(IsInvisible))
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsInvisible(c))
            {
                result.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private static bool IsInvisible(char c) =>
        c is '\u061C' or '\u180E' or (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2060' and <= '\u2069') or '\uFEFF';
}
