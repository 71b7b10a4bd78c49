using System.Globalization;
using IoVisor.Ovsdb.Data;
using IoVisor.Ovsdb.Transactions;

namespace IoVisor.OvnBench;

/// <summary>
/// Writes the benchmark's deployment into the northbound database with explicit UUIDs, a few
/// routers at a time: routers lr{r}, each joining <see cref="BenchOptions.SwitchesPerRouter"/>
/// switches ls{s} (10.s.0/24 by index) through lrp{s}; each switch has VIF ports vm{s}-{k}
/// with a MAC and an address, a router port, and <see cref="BenchOptions.AclsPerSwitch"/> ACLs.
/// </summary>
internal sealed class NbGenerator(BenchOptions options)
{
    public const string Mgmt = "mgmt";

    public static string SwitchPort(int s, int k) => string.Create(CultureInfo.InvariantCulture, $"vm{s}-{k}");

    public static string Mac(int s, int k) => string.Create(CultureInfo.InvariantCulture, $"02:00:{s >> 8:x2}:{s & 0xff:x2}:00:{k + 10:x2}");

    public static Guid AclId(int s, int acl) => Id($"acl:{s}:{acl}");

    public static Guid PortId(int s, int k) => Id($"lsp:{s}:{k}");

    /// <summary>The transactions that write everything, in order.</summary>
    public IEnumerable<IReadOnlyList<OvsdbOperation>> Transactions()
    {
        yield return [new InsertOperation("Address_Set", Row(("name", Mgmt), ("addresses", Set("192.0.2.10", "192.0.2.11", "198.51.100.0/24"))))];
        const int RoutersPerTransaction = 5;
        for (var first = 0; first < options.Routers; first += RoutersPerTransaction)
        {
            var ops = new List<OvsdbOperation>();
            for (var r = first; r < Math.Min(first + RoutersPerTransaction, options.Routers); r++)
            {
                AddRouter(r, ops);
            }
            yield return ops;
        }
    }

    private void AddRouter(int r, List<OvsdbOperation> ops)
    {
        var routerPorts = new List<Guid>();
        for (var s = r * options.SwitchesPerRouter; s < Math.Min((r + 1) * options.SwitchesPerRouter, options.Switches); s++)
        {
            var lrp = Id($"lrp:{s}");
            routerPorts.Add(lrp);
            ops.Add(new InsertOperation("Logical_Router_Port", Row(
                ("name", $"lrp{s}"), ("mac", $"02:01:{s >> 8:x2}:{s & 0xff:x2}:00:01"), ("networks", Set(Subnet(s, 1) + "/24"))), Uuid: lrp));
            AddSwitch(s, ops);
        }
        ops.Add(new InsertOperation("Logical_Router", Row(("name", $"lr{r}"), ("ports", Set(routerPorts))), Uuid: Id($"lr:{r}")));
    }

    private void AddSwitch(int s, List<OvsdbOperation> ops)
    {
        var ports = new List<Guid>();
        var routerLink = Id($"lsp-router:{s}");
        ops.Add(new InsertOperation("Logical_Switch_Port", Row(
            ("name", $"ls{s}-lr"), ("type", "router"), ("addresses", Set("router")), ("options", Map(("router-port", $"lrp{s}")))), Uuid: routerLink));
        ports.Add(routerLink);
        for (var k = 0; k < options.PortsPerSwitch; k++)
        {
            var port = PortId(s, k);
            ops.Add(new InsertOperation("Logical_Switch_Port", Row(("name", SwitchPort(s, k)), ("addresses", Set($"{Mac(s, k)} {Subnet(s, 10 + k)}"))), Uuid: port));
            ports.Add(port);
        }
        var acls = new List<Guid>();
        for (var a = 0; a < options.AclsPerSwitch; a++)
        {
            var (direction, priority, match, action) = AclTemplates.For(s, a);
            var acl = AclId(s, a);
            ops.Add(new InsertOperation("ACL", Row(("direction", direction), ("priority", (long)priority), ("match", match), ("action", action)), Uuid: acl));
            acls.Add(acl);
        }
        ops.Add(new InsertOperation("Logical_Switch", Row(("name", $"ls{s}"), ("ports", Set(ports)), ("acls", Set(acls))), Uuid: Id($"ls:{s}")));
    }

    /// <summary>10.x.y.host, x.y from the switch index.</summary>
    public static string Subnet(int s, int host) => string.Create(CultureInfo.InvariantCulture, $"10.{s >> 8}.{s & 0xff}.{host}");

    public static Dictionary<string, OvsdbValue> Row(params (string Column, OvsdbValue Value)[] columns) => columns.ToDictionary(c => c.Column, c => c.Value);

    private static OvsdbSet Set(params string[] values) => OvsdbSet.Of(values.Select(OvsdbAtom.String));

    private static OvsdbSet Set(IEnumerable<Guid> values) => OvsdbSet.Of(values.Select(OvsdbAtom.Uuid));

    private static OvsdbMap Map(params (string Key, string Value)[] pairs) => OvsdbMap.Of(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));

    // Stable UUIDs from names, so reruns make the same database.
    private static Guid Id(string name) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)));
}
