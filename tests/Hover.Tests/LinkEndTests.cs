using IoVisor.Hover.Graph;

namespace IoVisor.Hover.Tests;

public sealed class LinkEndTests
{
    [Theory]
    [InlineData("br1:p1", "br1", "p1", false)]
    [InlineData("netdev:veth0", "netdev", "veth0", true)]
    [InlineData("r-1.a:eth0", "r-1.a", "eth0", false)]
    public void Parses_module_ports_and_netdevs(string text, string module, string port, bool isNetdev)
    {
        Assert.True(LinkEnd.TryParse(text, out var end));
        Assert.Equal(module, end.Module);
        Assert.Equal(port, end.Port);
        Assert.Equal(isNetdev, end.IsNetdev);
        Assert.Equal(text, end.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("br1")]
    [InlineData("br1:")]
    [InlineData(":p1")]
    [InlineData("br 1:p1")]
    [InlineData("netdev:averyveryverylongname")]
    public void Refuses_malformed_ends(string? text) => Assert.False(LinkEnd.TryParse(text, out _));

    [Theory]
    [InlineData("br1", true)]
    [InlineData("a-b_c", true)]
    [InlineData("a.b", false)]
    [InlineData("netdev", false)]
    [InlineData("bad name!", false)]
    [InlineData("-x", false)]
    [InlineData("", false)]
    public void Names_follow_the_rule(string name, bool valid) => Assert.Equal(valid, Names.IsValid(name));
}
