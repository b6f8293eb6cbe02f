using Microsoft.Extensions.Logging;
using PortkeyAdminMcp.Security;

namespace PortkeyAdminMcp.Tests.Security;

public class SecretRegistryTests
{
    [Fact]
    public void Scrubs_a_registered_secret_raw_and_escaped_once_and_twice()
    {
        var secrets = new SecretRegistry();
        secrets.AddServerSecret("pk-a\"b\\c-123456");
        var text = "raw pk-a\"b\\c-123456 once pk-a\\\"b\\\\c-123456 twice pk-a\\\\\\\"b\\\\\\\\c-123456";
        Assert.Equal("raw [REDACTED] once [REDACTED] twice [REDACTED]", secrets.Scrub(text));
    }

    [Fact]
    public void Short_values_are_not_registered_so_ordinary_words_survive()
    {
        var secrets = new SecretRegistry();
        secrets.AddServerSecret("abc");
        Assert.Equal("abc def", secrets.Scrub("abc def"));
    }

    [Theory]
    [InlineData("""{"key":"sk-unknown-1"}""", """{"key":"[REDACTED]"}""")]
    [InlineData("""{"api_key" : "sk-unknown-1","name":"n"}""", """{"api_key" : "[REDACTED]","name":"n"}""")]
    [InlineData("""{"awsSecretAccessKey":"abc","x-portkey-api-key":"def"}""", """{"awsSecretAccessKey":"[REDACTED]","x-portkey-api-key":"[REDACTED]"}""")]
    [InlineData("""{"azureEntraClientSecret":"abc","password":"p"}""", """{"azureEntraClientSecret":"[REDACTED]","password":"[REDACTED]"}""")]
    [InlineData("""{"text":"{\"id\":\"1\",\"key\":\"pk-live-xyz\"}"}""", """{"text":"{\"id\":\"1\",\"key\":\"[REDACTED]\"}"}""")]
    [InlineData("""{"keys":["a"],"key_transition_period_ms":1800000,"name":"key"}""", """{"keys":["a"],"key_transition_period_ms":1800000,"name":"key"}""")]
    public void Masks_values_of_secret_named_properties_it_has_never_seen(string input, string expected)
    {
        Assert.Equal(expected, new SecretRegistry().Scrub(input));
    }

    [Fact]
    public void Logger_scrubs_messages_and_exception_text_at_every_level()
    {
        var secrets = new SecretRegistry();
        secrets.AddServerSecret("pk-secret-value-1");
        var output = new StringWriter();
        using var provider = new RedactingStderrLoggerProvider(secrets, output);
        var logger = provider.CreateLogger("test");
        foreach (var level in new[] { LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical })
        {
#pragma warning disable CA2254, CA1848, CA1873 // a dynamic message is the point of this test
            logger.Log(level, new InvalidOperationException("boom pk-secret-value-1"), "sent pk-secret-value-1 and {{\"key\":\"sk-other-2\"}}");
#pragma warning restore CA2254, CA1848, CA1873
        }

        var text = output.ToString();
        Assert.Equal(6, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("pk-secret-value-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-other-2", text, StringComparison.Ordinal);
        Assert.Contains("[InvalidOperationException: boom [REDACTED]]", text, StringComparison.Ordinal);
    }
}
