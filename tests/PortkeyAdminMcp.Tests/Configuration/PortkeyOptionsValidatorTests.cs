using PortkeyAdminMcp.Configuration;

namespace PortkeyAdminMcp.Tests.Configuration;

public class PortkeyOptionsValidatorTests
{
    [Theory]
    [InlineData("https://api.portkey.ai/v1")]
    [InlineData("https://portkey.internal.example.com/v1/")]
    [InlineData("http://localhost:8787/v1")]
    [InlineData("http://127.0.0.1:9000/v1")]
    [InlineData("http://127.42.0.9/v1")]
    [InlineData("http://[::1]:8080/v1")]
    public void Accepts_https_anywhere_and_http_only_on_loopback(string url)
    {
        Assert.Null(PortkeyOptionsValidator.CheckBaseUrl(url));
    }

    [Theory]
    [InlineData("http://10.0.0.5/v1")]
    [InlineData("http://portkey.example.com/v1")]
    [InlineData("http://localhost.example.com/v1")]
    [InlineData("ws://localhost/v1")]
    [InlineData("/v1")]
    [InlineData("")]
    [InlineData("https://api.portkey.ai/v1?x=1")]
    public void Refuses_anything_else(string url)
    {
        Assert.NotNull(PortkeyOptionsValidator.CheckBaseUrl(url));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("30", true)]
    [InlineData("600", true)]
    [InlineData("0", false)]
    [InlineData("601", false)]
    [InlineData("-5", false)]
    [InlineData("2.5", false)]
    public void Timeout_must_be_whole_seconds_from_1_to_600(string? value, bool valid)
    {
        var result = new PortkeyOptionsValidator().Validate(null, new PortkeyOptions { TimeoutSeconds = value });
        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void Every_problem_is_reported_together()
    {
        var result = new PortkeyOptionsValidator().Validate(null, new PortkeyOptions { BaseUrl = "http://example.com", TimeoutSeconds = "x", ApiKey = " pk " });
        Assert.Equal(3, result.Failures!.Count());
    }
}
