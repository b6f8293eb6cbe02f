using System.Text.Json;
using PortkeyAdminMcp.ApiKeys;
using PortkeyAdminMcp.Schemas;

namespace PortkeyAdminMcp.Tests.Schemas;

public class SchemaTests
{
    private static List<FieldError> Validate(Schema schema, string json)
    {
        var errors = new List<FieldError>();
        using var document = JsonDocument.Parse(json);
        schema.Validate(document.RootElement, "f", errors);
        return errors;
    }

    [Fact]
    public void Number_rejects_values_beyond_double_precision_as_whole_numbers()
    {
        var errors = Validate(new NumberSchema { RequireWhole = true }, "1e300");
        Assert.Equal("must be a whole number (got 1E+300)", Assert.Single(errors).Problem);
    }

    [Fact]
    public void Object_reports_a_duplicated_property()
    {
        var schema = new ObjectSchema { Properties = [new("a", new StringSchema())] };
        var errors = Validate(schema, """{"a":"x","a":"y"}""");
        Assert.Equal(new FieldError("f.a", "is given more than once"), Assert.Single(errors));
    }

    [Fact]
    public void Map_checks_entry_count()
    {
        var errors = Validate(CommonSchemas.Metadata("m"), "{" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"k{i}\":1")) + "}");
        Assert.Equal(new FieldError("f", "must have at most 64 entries (got 65)"), Assert.Single(errors));
    }

    [Fact]
    public void Published_schema_has_types_enums_formats_and_ranges()
    {
        var json = ApiKeyContracts.Create.Input.ToJsonElement();
        var properties = json.GetProperty("properties");
        Assert.Equal("object", json.GetProperty("type").GetString());
        Assert.False(json.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["name", "type", "scopes", "sub_type"], json.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["organisation", "workspace"], properties.GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("uuid", properties.GetProperty("user_id").GetProperty("format").GetString());
        Assert.Equal("date-time", properties.GetProperty("expires_at").GetProperty("format").GetString());
        Assert.Equal(0, properties.GetProperty("alert_threshold").GetProperty("minimum").GetDouble());
        Assert.Equal(100, properties.GetProperty("alert_threshold").GetProperty("maximum").GetDouble());
        Assert.Equal("number", properties.GetProperty("credit_limit").GetProperty("type").GetString());
        Assert.Equal("object", properties.GetProperty("default_metadata").GetProperty("type").GetString());
    }

    [Fact]
    public void Nullable_field_is_published_with_a_null_type()
    {
        var expires = ApiKeyContracts.Update.Input.ToJsonElement().GetProperty("properties").GetProperty("expires_at");
        Assert.Equal(["string", "null"], expires.GetProperty("type").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_sensitive_value_is_never_quoted_in_an_error()
    {
        var errors = Validate(new StringSchema { Sensitive = true, Pattern = "^ok$", PatternHint = "must be ok" }, "\"sk-secret-123\"");
        Assert.Equal(new FieldError("f", "must be ok (got a value that is not shown)"), Assert.Single(errors));
    }
}
