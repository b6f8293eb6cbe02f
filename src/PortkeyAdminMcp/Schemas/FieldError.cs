namespace PortkeyAdminMcp.Schemas;

/// <summary>One problem with one argument, addressed by its path (<c>rate_limits[0].unit</c>).</summary>
public sealed record FieldError(string Field, string Problem)
{
    public override string ToString() => $"{Field}: {Problem}";
}
