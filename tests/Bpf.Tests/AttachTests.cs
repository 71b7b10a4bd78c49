using Xunit;

namespace IoVisor.Bpf.Tests;

/// <summary>XDP and TC attach on a veth pair in a namespace of the test's own.</summary>
public sealed class AttachTests : IDisposable
{
    private readonly VethNamespace _ns = new();

    public void Dispose() => _ns.Dispose();

    [Theory]
    [InlineData(XdpMode.Generic)]
    [InlineData(XdpMode.Native)]
    public void Xdp_attach_query_detach(XdpMode mode)
    {
        using BpfObject obj = TestObjects.Load("maps");
        BpfProgram count = obj.Program("xdp_count");
        BpfProgram drop = obj.Program("xdp_drop_all");

        NetNs.Run(_ns.Name, () =>
        {
            int ifindex = Netdev.IndexOf("a");
            Assert.Equal(0u, XdpAttachment.QueryProgramId(ifindex, mode));

            XdpAttachment.Attach(ifindex, count.Fd, mode);
            Assert.Equal(count.Id, XdpAttachment.QueryProgramId(ifindex, mode));

            XdpAttachment.Attach(ifindex, drop.Fd, mode);
            Assert.Equal(drop.Id, XdpAttachment.QueryProgramId(ifindex, mode));
            Assert.Throws<BpfException>(() => XdpAttachment.Attach(ifindex, count.Fd, mode, replace: false));

            XdpAttachment.Detach(ifindex, mode);
            Assert.Equal(0u, XdpAttachment.QueryProgramId(ifindex, mode));
            XdpAttachment.Detach(ifindex, mode);
        });
    }

    [Theory]
    [InlineData(TcDirection.Ingress)]
    [InlineData(TcDirection.Egress)]
    public void Tc_attach_query_detach(TcDirection direction)
    {
        using BpfObject obj = TestObjects.Load("tc");
        BpfProgram program = obj.Program("tc_pass");

        NetNs.Run(_ns.Name, () =>
        {
            int ifindex = Netdev.IndexOf("b");
            Assert.Equal(0u, TcAttachment.QueryProgramId(ifindex, direction));

            TcAttachment.Attach(ifindex, direction, program.Fd);
            TcAttachment.Attach(ifindex, direction, program.Fd);
            Assert.Equal(program.Id, TcAttachment.QueryProgramId(ifindex, direction));
            Assert.Equal(0u, TcAttachment.QueryProgramId(ifindex, direction, handle: 2));

            TcAttachment.Detach(ifindex, direction);
            Assert.Equal(0u, TcAttachment.QueryProgramId(ifindex, direction));
            TcAttachment.Detach(ifindex, direction);
        });
    }

    [Fact]
    public void Interfaces_are_per_namespace()
    {
        int inside = _ns.IndexOf("a");

        Assert.True(inside > 0);
        Assert.Equal("a", NetNs.Run(_ns.Name, () => Netdev.NameOf(inside)));
        Assert.Equal(0, Netdev.IndexOf("nonexistent0"));
        Assert.Null(Netdev.NameOf(int.MaxValue));
        Assert.Equal("lo", Netdev.NameOf(Netdev.IndexOf("lo")));
    }

    [Fact]
    public void NetNs_rethrows_what_the_action_threw()
    {
        Assert.Throws<TimeZoneNotFoundException>(() => NetNs.Run(_ns.Name, () => throw new TimeZoneNotFoundException()));
        Assert.Equal(2, Assert.Throws<BpfException>(() => NetNs.Run("iovt-missing", () => { })).Errno);
    }
}
