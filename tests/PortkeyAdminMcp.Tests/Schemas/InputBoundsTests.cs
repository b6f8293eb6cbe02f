using System.Text.Json;
using PortkeyAdminMcp.Calls;
using PortkeyAdminMcp.Schemas;
using PortkeyAdminMcp.Tests.Support;

namespace PortkeyAdminMcp.Tests.Schemas;

/// <summary>
/// What the published schema says is what is enforced: anchors mean the end of the value (as in ECMA-262, not .NET),
/// and every string and list has a maximum, published and checked.
/// </summary>
public class InputBoundsTests
{
    private static IReadOnlyList<FieldError> Check(string tool, string json) => Catalog.Tool(tool).Input.Check(ToolArguments.Parse(json));

    public static TheoryData<string, string, string> TrailingNewline() => new()
    {
        { "get_api_key", """{"id":"60571396-bd81-4e58-8c82-4858930ede0b\n"}""", "id" },
        { "get_virtual_key", """{"slug":"openai-prod\n"}""", "slug" },
        { "list_api_keys", """{"workspace_id":"ws-shared\n"}""", "workspace_id" },
        { "create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"],"alert_emails":["ops@example.com\n"]}""", "alert_emails[0]" },
        { "create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list"],"expires_at":"2030-01-01T00:00:00Z\n"}""", "expires_at" },
        { "create_api_key", """{"name":"a","type":"organisation","sub_type":"service","scopes":["workspaces.list\n"]}""", "scopes[0]" },
        { "create_virtual_key", """{"name":"a","key":"k","provider":"openai\n"}""", "provider" },
        { "create_virtual_key", """{"name":"a","key":"k","provider":"openai","secret_mappings":[{"target_field":"model_config.x\n","secret_reference_id":"sr-1"}]}""", "secret_mappings[0].target_field" },
    };

    [Theory]
    [MemberData(nameof(TrailingNewline))]
    public void A_value_with_a_trailing_newline_does_not_match_an_anchored_pattern(string tool, string json, string field)
    {
        Assert.Contains(Check(tool, json), e => e.Field == field);
    }

    [Theory]
    [InlineData("^[a-z]+$", "abc\n", false)]
    [InlineData("^[a-z]+$", "abc", true)]
    [InlineData("^\\d+$", "١٢٣", false)]
    [InlineData("^[$]x$", "$x", true)]
    [InlineData("^a\\$$", "a$", true)]
    [InlineData("^[^$]+$", "ab", true)]
    [InlineData("^[]$]+$", "]$", true)]
    [InlineData("^[\\w-]+$", "prod-key", true)]
    [InlineData("^[\\w-]+$", "prоd-kеy", false)]
    [InlineData("^\\w+$", "é", false)]
    [InlineData("^[[:alpha:]]+$", "abc", true)]
    [InlineData("^[[:alpha:]]+$", "ab1", false)]
    [InlineData("^\\s$", "\u00a0", false)]
    public void Patterns_are_enforced_as_ecma_262_reads_them(string pattern, string value, bool matches)
    {
        Assert.Equal(matches, EcmaPattern.Compile(pattern).IsMatch(value));
    }

    [Fact]
    public void A_provider_key_reference_with_a_trailing_newline_is_not_a_reference()
    {
        var errors = new List<FieldError>();
        var (key, mapping) = new PortkeyAdminMcp.Security.KeyReferences(["OPENAI_API_KEY"], null, _ => "sk-from-env-000000").Resolve("${env:OPENAI_API_KEY}\n", "key", errors);

        Assert.Null(key);
        Assert.Null(mapping);
        Assert.Equal("key: looks like a reference but is malformed: use ${env:NAME}, ${secret:REFERENCE_ID} or ${secret:REFERENCE_ID#field}", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Every_string_list_and_map_argument_of_every_tool_has_a_published_maximum()
    {
        var unbounded = new List<string>();
        foreach (var tool in Catalog.Tools.All)
        {
            Walk(tool.Input.Input.ToJsonElement(), tool.Name, unbounded);
        }

        Assert.Empty(unbounded);
    }

    private static void Walk(JsonElement schema, string path, List<string> unbounded)
    {
        var type = schema.TryGetProperty("type", out var t) ? t.ValueKind == JsonValueKind.Array ? t[0].GetString() : t.GetString() : null;
        switch (type)
        {
            case "string" when !schema.TryGetProperty("enum", out _) && !schema.TryGetProperty("maxLength", out _) &&
                               !(schema.TryGetProperty("format", out var format) && format.GetString() == "uuid"):
                unbounded.Add(path + " (string)");
                break;
            case "array":
                if (!schema.TryGetProperty("maxItems", out _))
                {
                    unbounded.Add(path + " (array)");
                }

                Walk(schema.GetProperty("items"), path + "[]", unbounded);
                break;
            case "object":
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        Walk(property.Value, path + "." + property.Name, unbounded);
                    }
                }

                var closed = schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False;
                if (!closed && (!schema.TryGetProperty("maxProperties", out _) || !schema.TryGetProperty("propertyNames", out _)))
                {
                    unbounded.Add(path + " (map)");
                }

                break;
        }
    }

    [Fact]
    public void A_hundred_kilobyte_name_is_refused_before_anything_is_sent()
    {
        var errors = Check("create_api_key", $$"""{"name":"{{new string('n', 100_000)}}","type":"organisation","sub_type":"service","scopes":["workspaces.list"]}""");

        Assert.Equal("name: must be at most 255 characters (got 100000)", Assert.Single(errors).ToString());
    }

    [Fact]
    public void A_metadata_value_too_large_as_json_is_refused_with_its_size()
    {
        var errors = Check("update_api_key", $$$"""{"id":"60571396-bd81-4e58-8c82-4858930ede0b","default_metadata":{"blob":"{{{new string('b', 2000)}}}"}}""");

        Assert.Equal("default_metadata.blob: is too large (2002 characters of JSON; at most 1024)", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Too_many_scopes_are_refused()
    {
        var scopes = string.Join(",", Enumerable.Range(0, 201).Select(i => $"\"s{i}.read\""));
        var errors = Check("create_api_key", $$"""{"name":"a","type":"organisation","sub_type":"service","scopes":[{{scopes}}]}""");

        Assert.Equal("scopes: must have at most 200 items (got 201)", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Hundreds_of_thousands_of_unknown_argument_names_are_one_error()
    {
        var names = string.Join(",", Enumerable.Range(0, 450_000).Select(i => $"\"u{i}\":1"));
        var errors = Check("get_api_key", "{" + names + "}");

        var error = Assert.Single(errors);
        Assert.Equal("(arguments)", error.Field);
        Assert.Equal("has 450000 members, more than this takes (1 known: id)", error.Problem);
    }

    [Fact]
    public void A_long_unknown_name_is_not_echoed_whole()
    {
        var errors = Check("get_api_key", $$"""{"id":"60571396-bd81-4e58-8c82-4858930ede0b","{{new string('n', 10_000)}}":1}""");

        Assert.Equal(new string('n', 61) + "...", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_secret_cannot_appear_in_a_field_that_a_human_must_read()
    {
        var errors = Check("create_virtual_key", """{"name":"n","provider":"openai","key":"ws-production-eu","workspace_id":"ws-production-eu"}""");

        Assert.Equal("workspace_id: holds a value given as a secret; a secret cannot appear in a field that is not secret (it would be masked where a human must read it)",
            Assert.Single(errors).ToString());
    }
}
