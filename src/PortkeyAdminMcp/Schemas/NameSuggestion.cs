namespace PortkeyAdminMcp.Schemas;

/// <summary>The closest known name to a mistyped one, so an error can say what was probably meant.</summary>
public static class NameSuggestion
{
    public static string? Closest(string name, IEnumerable<string> known) => known
        .Select(candidate => (Candidate: candidate, Distance: EditDistance(name, candidate)))
        .Where(p => p.Distance <= Math.Max(2, p.Candidate.Length / 3))
        .OrderBy(p => p.Distance)
        .Select(p => p.Candidate)
        .FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
