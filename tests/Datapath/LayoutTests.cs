using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using IoVisor.Bpf;
using IoVisor.IoModules.Abi;
using IoVisor.IoModules.Bridge;
using IoVisor.IoModules.Conntrack;
using IoVisor.IoModules.Firewall;
using IoVisor.IoModules.Gtp;
using IoVisor.IoModules.L4lb;
using IoVisor.IoModules.Nat;
using IoVisor.IoModules.Router;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// The C# mirrors against the C structs as compiled: sizes and member offsets come from the BTF of
/// the datapath objects (bpftool btf dump ... format raw). Needs neither root nor a kernel.
/// </summary>
public sealed partial class LayoutTests
{
    /// <summary>The datapath objects first; layout_probe.o (tests/Datapath/bpf) last, for the structs
    /// no datapath object has in its BTF (only stack or ring-buffer use: hover_punt, hover_inject).
    /// A struct found in several objects must be identical in all of them.</summary>
    private static readonly string[] Objects = ["entry.tc.o", "entry.xdp.o", "bridge.tc.o", "bridge.xdp.o", "router.tc.o", "router.xdp.o", "l4lb.tc.o", "l4lb.xdp.o", "gtp.tc.o", "gtp.xdp.o", "firewall.tc.o", "firewall.xdp.o", "layout_probe.o"];

    private static readonly Lazy<Dictionary<string, (string Object, BtfStruct Struct)>> Btf = new(LoadAll);

    public static TheoryData<string, Type> Mirrors() => new()
    {
        { "hover_md", typeof(HoverMd) },
        { "hover_port", typeof(HoverPort) },
        { "hover_netdev", typeof(HoverNetdev) },
        { "hover_port_stats", typeof(HoverPortStats) },
        { "hover_punt", typeof(HoverPunt) },
        { "hover_inject", typeof(HoverInject) },
        { "bpf_devmap_val", typeof(DevmapValue) },
        { "bridge_fdb_key", typeof(BridgeFdbKey) },
        { "bridge_fdb_entry", typeof(BridgeFdbEntry) },
        { "bridge_config", typeof(BridgeConfig) },
        { "bridge_port", typeof(BridgePort) },
        { "router_port", typeof(RouterPort) },
        { "router_local", typeof(RouterLocal) },
        { "router_route_key", typeof(RouterRouteKey) },
        { "router_route", typeof(RouterRoute) },
        { "router_neigh", typeof(RouterNeigh) },
        { "hover_trace_cfg", typeof(HoverTraceCfg) },
        { "hover_trace_event", typeof(HoverTraceEvent) },
        { "ct_key", typeof(CtKey) },
        { "ct_entry", typeof(CtEntry) },
        { "ct_timeouts", typeof(CtTimeouts) },
        { "nat_config", typeof(NatConfig) },
        { "nat_snat_key", typeof(NatSnatKey) },
        { "nat_snat_rule", typeof(NatSnatRule) },
        { "nat_dnat_key", typeof(NatDnatKey) },
        { "nat_dnat_rule", typeof(NatDnatRule) },
        { "nat_mac", typeof(NatMac) },
        { "nat_arp_entry", typeof(NatArpEntry) },
        { "lb_config", typeof(LbConfig) },
        { "lb_service_key", typeof(LbServiceKey) },
        { "lb_service", typeof(LbService) },
        { "lb_backend", typeof(LbBackend) },
        { "lb_flow", typeof(LbFlow) },
        { "lb_service_stats", typeof(LbServiceStats) },
        { "gtp_rule_key", typeof(GtpRuleKey) },
        { "gtp_rule", typeof(GtpRule) },
        { "gtp_count", typeof(GtpCount) },
        { "gtp_config", typeof(GtpConfig) },
        { "gtp_port", typeof(GtpPort) },
        { "fw_port", typeof(FwPort) },
        { "fw_key", typeof(FwKey) },
        { "fw_verdict", typeof(FwVerdict) },
        { "fw_mask", typeof(FwMask) },
        { "fw_set", typeof(FwSet) },
        { "fw_hits", typeof(FwHits) },
        { "fw_epoch", typeof(FwEpoch) },
        { "fw_rule", typeof(FwRule) },
    };

    /// <summary>C member names whose mirror is not the plain PascalCase of the name.</summary>
    private static readonly Dictionary<string, string> Renamed = new()
    {
        ["caplen"] = "CapLen",
        ["ethertype"] = "EthertypeBigEndian",
        ["bpf_prog"] = "ProgFd",
    };

    [Theory]
    [MemberData(nameof(Mirrors))]
    public void MirrorMatchesBtf(string cName, Type mirror)
    {
        Assert.True(
            Btf.Value.TryGetValue(cName, out var found),
            $"struct {cName} is in the BTF of none of {string.Join(", ", Objects)}: no object references it, so its layout cannot be checked.");
        var (obj, s) = found;
        if (obj == "layout_probe.o")
        {
            // Not an error: recorded so that a reader knows where the layout came from.
            Console.WriteLine($"struct {cName}: not in the BTF of any datapath object, checked against layout_probe.o (same headers and flags)");
        }

        Assert.True(s.Size == Marshal.SizeOf(mirror), $"sizeof(struct {cName}) is {s.Size} in {obj}, {mirror.Name} is {Marshal.SizeOf(mirror)} bytes");
        var fields = mirror.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);
        Assert.True(
            s.Members.Count == fields.Length,
            $"struct {cName} has {s.Members.Count} members ({string.Join(", ", s.Members.Select(m => m.Name))}), {mirror.Name} has {fields.Length} fields ({string.Join(", ", fields.Select(f => f.Name))})");
        foreach (var m in s.Members)
        {
            Assert.True(m.BitsOffset % 8 == 0, $"{cName}.{m.Name} is a bit field");
            string field = Renamed.TryGetValue(m.Name, out var r) ? r : Pascal(m.Name);
            Assert.Contains(fields, f => f.Name == field);
            Assert.True(
                m.BitsOffset / 8 == Marshal.OffsetOf(mirror, field).ToInt32(),
                $"offsetof({cName}, {m.Name}) is {m.BitsOffset / 8} in {obj}, {mirror.Name}.{field} is at {Marshal.OffsetOf(mirror, field)}");
        }
    }

    /// <summary>NetdevMaps decides by <see cref="ChainAbi.NetdevIxSize"/> which netdevs go into the
    /// array; the datapath by HOVER_NETDEV_IX_SIZE which it looks up there.</summary>
    [Theory]
    [InlineData("entry.tc.o")]
    [InlineData("entry.xdp.o")]
    public void NetdevIndexMatchesChainAbi(string obj)
    {
        using var o = BpfObject.Open(DatapathObjects.PathOf(obj));
        var index = o.Map("hover_netdev_ix");
        Assert.Equal(ChainAbi.NetdevIxSize, index.MaxEntries);
        Assert.Equal(Marshal.SizeOf<HoverNetdev>(), index.ValueSize);
    }

    [Fact]
    public void EveryObjectHasBtf()
    {
        foreach (string o in Objects)
        {
            Assert.NotEmpty(Parse(Dump(o)));
        }
    }

    private static string Pascal(string snake) =>
        string.Concat(snake.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static Dictionary<string, (string, BtfStruct)> LoadAll()
    {
        var all = new Dictionary<string, (string, BtfStruct)>();
        foreach (string o in Objects)
        {
            foreach (var s in Parse(Dump(o)))
            {
                if (all.TryGetValue(s.Name, out var seen))
                {
                    var (seenObj, seenStruct) = seen;
                    Assert.True(
                        seenStruct.Size == s.Size && seenStruct.Members.SequenceEqual(s.Members),
                        $"struct {s.Name} differs between {seenObj} and {o}");
                }
                else
                {
                    all[s.Name] = (o, s);
                }
            }
        }

        return all;
    }

    private static string Dump(string obj)
    {
        string path = DatapathObjects.PathOf(obj);
        Assert.True(File.Exists(path), $"{path} missing: the IoVisor.Datapath project reference should have built it");
        var psi = new ProcessStartInfo("bpftool", ["btf", "dump", "file", path, "format", "raw"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start bpftool");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"bpftool btf dump file {path} failed: {stderr.Result}");
        return stdout;
    }

    internal sealed record BtfMember(string Name, long BitsOffset);

    internal sealed record BtfStruct(string Name, int Size, List<BtfMember> Members);

    private static List<BtfStruct> Parse(string dump)
    {
        var result = new List<BtfStruct>();
        BtfStruct? current = null;
        foreach (string line in dump.Split('\n'))
        {
            var head = StructLine().Match(line);
            if (head.Success)
            {
                current = head.Groups[1].Value == "STRUCT" && head.Groups[2].Value is not ("" or "(anon)")
                    ? new BtfStruct(head.Groups[2].Value, int.Parse(head.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture), [])
                    : null;
                if (current is not null)
                {
                    result.Add(current);
                }

                continue;
            }

            if (line.StartsWith('[') || line.Length == 0)
            {
                current = null;
                continue;
            }

            var member = MemberLine().Match(line);
            if (current is not null && member.Success)
            {
                current.Members.Add(new BtfMember(member.Groups[1].Value, long.Parse(member.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^\[\d+\] (STRUCT|UNION) '([^']*)' size=(\d+) vlen=\d+")]
    private static partial Regex StructLine();

    [GeneratedRegex(@"^\s+'([^']*)' type_id=\d+ bits_offset=(\d+)")]
    private static partial Regex MemberLine();
}
