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
