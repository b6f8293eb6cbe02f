using System.Text;
using System.Text.Json.Nodes;

namespace PortkeyAdminMcp.Portkey;

/// <summary>
/// One call to the Portkey Admin API, fully resolved: method, path relative to the base URL, query
/// and JSON body. Built by the tools before anything is sent, so the same object can be executed,
/// shown for review, or audited.
/// </summary>
public sealed class PortkeyRequest
{
    private PortkeyRequest(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> query, JsonObject? body)
    {
        Method = method;
        Path = path;
        Query = query;
        Body = body;
    }

    public HttpMethod Method { get; }

    /// <summary>Relative to the base URL, every segment escaped (<c>api-keys/organisation/service</c>).</summary>
    public string Path { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    public JsonObject? Body { get; }

    /// <summary>
    /// Body fields that carry a secret (a provider key; <c>parent.child</c> for one inside an object), masked whatever
    /// they hold wherever the request is shown: a dry run, an approval, an audit. Set by the mapping that puts the
    /// secret there.
    /// </summary>
    public IReadOnlySet<string> SecretFields => _secretFields;

    private readonly HashSet<string> _secretFields = new(StringComparer.Ordinal);

    /// <summary>Marks a body field as secret (see <see cref="SecretFields"/>).</summary>
    public PortkeyRequest WithSecretField(string field)
    {
        _secretFields.Add(field);
        return this;
    }

    /// <summary>
    /// What the request changes, when the tool read the current state first to know it (a list replaced: what is
    /// added and removed). Shown beside the request in a dry run and to the approver; null when not computed.
    /// </summary>
    public JsonObject? Changes { get; private set; }

    public PortkeyRequest WithChanges(JsonObject changes)
    {
        Changes = changes;
        return this;
    }

    /// <summary>POST is the one method Portkey does not treat as idempotent: it is never retried.</summary>
    public bool IsIdempotent => Method != HttpMethod.Post && Method != HttpMethod.Patch;

    public static PortkeyRequest Get(string[] segments, IReadOnlyList<KeyValuePair<string, string>>? query = null) =>
        new(HttpMethod.Get, BuildPath(segments), query ?? [], null);

    public static PortkeyRequest Post(string[] segments, JsonObject? body, IReadOnlyList<KeyValuePair<string, string>>? query = null) =>
        new(HttpMethod.Post, BuildPath(segments), query ?? [], body);

    public static PortkeyRequest Put(string[] segments, JsonObject? body, IReadOnlyList<KeyValuePair<string, string>>? query = null) =>
        new(HttpMethod.Put, BuildPath(segments), query ?? [], body);

    /// <param name="body">Portkey's workspace delete wants the workspace's name in a body; most deletes have none.</param>
    public static PortkeyRequest Delete(string[] segments, IReadOnlyList<KeyValuePair<string, string>>? query = null, JsonObject? body = null) =>
        new(HttpMethod.Delete, BuildPath(segments), query ?? [], body);

    /// <summary>The path and query, as appended to the base URL.</summary>
    public string RelativeUri
    {
        get
        {
            if (Query.Count == 0)
            {
                return Path;
            }

            var builder = new StringBuilder(Path).Append('?');
            for (var i = 0; i < Query.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append('&');
                }

                builder.Append(Uri.EscapeDataString(Query[i].Key)).Append('=').Append(Uri.EscapeDataString(Query[i].Value));
            }

            return builder.ToString();
        }
    }

    private static string BuildPath(string[] segments)
    {
        // Escaping every segment means an id can never add a segment, climb with "..", or start a query.
        return string.Join('/', segments.Select(segment =>
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw new ArgumentException("A path segment must not be empty, '.' or '..'.", nameof(segments));
            }

            return Uri.EscapeDataString(segment);
        }));
    }
}
