using PortkeyAdminMcp.Portkey;

namespace PortkeyAdminMcp.Tests.Portkey;

public class PortkeyRequestTests
{
    [Fact]
    public void Paths_escape_their_segments()
    {
        Assert.Equal("virtual-keys/open.ai_prod-1", PortkeyRequest.Get(["virtual-keys", "open.ai_prod-1"]).Path);
        Assert.Throws<ArgumentException>(() => PortkeyRequest.Get(["virtual-keys", ".."]));
        Assert.Equal("virtual-keys/a%2Fb", PortkeyRequest.Get(["virtual-keys", "a/b"]).Path);
    }
}

/// <summary>Paging as each family of endpoints spells it, and filters in one canonical spelling.</summary>
public class PageQueryTests
{
    private static string Query(string args, PageNaming naming, long? alwaysSize, params string[] filters) =>
        string.Join('&', PageQuery.Filtered(PortkeyAdminMcp.Schemas.ToolArguments.Parse(args), naming, alwaysSize, filters).Select(p => $"{p.Key}={p.Value}"));

    [Theory]
    [InlineData("""{"page_size":10,"current_page":2,"email":"a@b.c"}""", PageNaming.Camel, null, "pageSize=10&currentPage=2&email=a@b.c")]
    [InlineData("""{"page_size":10}""", PageNaming.Snake, null, "page_size=10&current_page=0")]
    [InlineData("""{}""", PageNaming.Snake, null, "")]
    [InlineData("""{}""", PageNaming.Snake, 50L, "page_size=50&current_page=0")]
    [InlineData("""{"email":"x@y.z","include_usage":true,"response_status_code":4.0e2}""", PageNaming.Snake, null, "email=x@y.z&include_usage=true&response_status_code=400")]
    public void Paging_and_filters_are_spelt_as_the_endpoint_reads_them(string args, PageNaming naming, long? alwaysSize, string expected)
    {
        Assert.Equal(expected, Query(args, naming, alwaysSize, "email", "include_usage", "response_status_code"));
    }
}
