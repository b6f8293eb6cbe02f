namespace PortkeyAdminMcp.Calls;

/// <summary>The call was not approved, or could not be put to a human: refused with this message, nothing sent.</summary>
public sealed class NotApprovedException(string message) : Exception(message);
