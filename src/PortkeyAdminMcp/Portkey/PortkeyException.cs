namespace PortkeyAdminMcp.Portkey;

/// <summary>A Portkey call that did not produce a usable answer. Messages never contain secrets.</summary>
public abstract class PortkeyException : Exception
{
    protected PortkeyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>Portkey answered with an error status.</summary>
public sealed class PortkeyApiException(PortkeyError error, string operation) : PortkeyException($"Portkey returned HTTP {error.Status} for {operation}")
{
    public PortkeyError Error { get; } = error;

    /// <summary>Method and path, e.g. <c>POST /api-keys/workspace/service</c>.</summary>
    public string Operation { get; } = operation;
}

/// <summary>Portkey could not be reached, did not answer in time, or answered with something unreadable.</summary>
public sealed class PortkeyTransportException(string message, Exception? inner = null) : PortkeyException(message, inner);

/// <summary>No API key is configured, so nothing can be sent.</summary>
public sealed class PortkeyNotConfiguredException() : PortkeyException(
    "PORTKEY_API_KEY is not set, so this server cannot call Portkey. Create an Admin or Workspace API key in the Portkey app " +
    "(Settings → API Keys) and set it as the PORTKEY_API_KEY environment variable in your MCP client's configuration " +
    "for this server, then restart the server. Nothing was sent.");
