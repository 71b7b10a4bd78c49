using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>Chain specs as the JSON POST /chains takes.</summary>
public static class ChainJson
{
    /// <summary>Chain <paramref name="chain"/>: one bridge with port p<i>i</i> linked to host <i>i</i>'s veth.</summary>
    public static JsonObject Bridge(string chain, string bridge, string hook, IReadOnlyList<Host> hosts, int agingSeconds = 300) => new()
    {
        ["name"] = chain,
        ["modules"] = new JsonArray(Module(bridge, hook, agingSeconds, hosts.Select((_, i) => $"p{i + 1}").ToArray())),
        ["links"] = new JsonArray(hosts.Select((h, i) => (JsonNode)Link($"{bridge}:p{i + 1}", h.Veth.NetdevRef)).ToArray()),
        ["entries"] = new JsonArray(),
    };

    public static JsonObject Module(string name, string hook, int agingSeconds, params string[] ports) => new()
    {
        ["name"] = name,
        ["type"] = "bridge",
        ["hook"] = hook,
        ["config"] = new JsonObject { ["agingSeconds"] = agingSeconds },
        ["ports"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject { ["name"] = p }).ToArray()),
    };

    public static JsonObject Link(string from, string to) => new() { ["from"] = from, ["to"] = to };

    public static JsonObject FdbEntry(string module, string mac, string port) => new()
    {
        ["module"] = module,
        ["table"] = "fdb",
        ["entry"] = new JsonObject { ["mac"] = mac, ["vlan"] = 1, ["port"] = port },
    };

    /// <summary>The changes a POST /chains answer lists, as "action kind id".</summary>
    public static IReadOnlyList<string> Changes(ApiResponse applied) =>
        applied.Json!["changes"]!.AsArray().Select(c => $"{c!["action"]} {c["kind"]} {c["id"]}").ToList();
}
