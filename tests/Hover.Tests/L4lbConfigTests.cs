using System.Text.Json.Nodes;
using IoVisor.IoModules;
using IoVisor.IoModules.L4lb;

namespace IoVisor.Hover.Tests;

public sealed class L4lbConfigTests
{
    private static readonly ServiceSpec Web = ServiceSpec.Parse(null, Json("""{"vip":"10.0.0.100","port":80}"""));
    private static readonly ServiceSpec Direct = ServiceSpec.Parse(null, Json("""{"vip":"10.0.0.101","port":80,"mode":"dsr"}"""));

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static ServiceSpec? Services(ServiceKey key) => key == Web.Key ? Web : key == Direct.Key ? Direct : null;

    [Fact]
    public void Defaults_fill_an_empty_config()
    {
        var config = new L4lbModuleType().NormalizeConfig(null);
        Assert.Equal(65537, config["maglevTableSize"]!.GetValue<long>());
        Assert.Equal(7440, config["conntrack"]!["tcpEstablished"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"maglevTableSize":65536}""", "config.maglevTableSize")]
    [InlineData("""{"maglevTableSize":65539}""", "config.maglevTableSize")]
    [InlineData("""{"maglevTableSize":1}""", "config.maglevTableSize")]
    [InlineData("""{"maglevTableSize":"big"}""", "config.maglevTableSize")]
    [InlineData("""{"conntrack":{"udp":0}}""", "config.conntrack.udp")]
    [InlineData("""{"tableSize":101}""", "config.tableSize")]
    public void Bad_module_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => new L4lbModuleType().NormalizeConfig(Json(json)));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Theory]
    [InlineData("""{}""", "config.role")]
    [InlineData("""{"role":"middle"}""", "config.role")]
    [InlineData("""{"role":"front","vlan":3}""", "config.vlan")]
    public void Bad_port_config_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => new L4lbModuleType().NormalizePortConfig(Json(json)));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void A_service_is_keyed_by_protocol_vip_and_port_and_defaults_to_tcp_dnat()
    {
        Assert.Equal("tcp 10.0.0.100:80", Web.Key.ToString());
        Assert.Equal(LbMode.Dnat, Web.Mode);
        var udp = ServiceSpec.Parse("udp 10.0.0.100:53", Json("""{"mode":"dsr"}"""));
        Assert.Equal(new ServiceKey(17, Web.Key.Vip, 53), udp.Key);
        Assert.Equal("dsr", udp.ToJson()["mode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, """{"port":80}""", "vip")]
    [InlineData(null, """{"vip":"10.0.0.100"}""", "port")]
    [InlineData(null, """{"vip":"10.0.0.100","port":0}""", "port")]
    [InlineData(null, """{"vip":"10.0.0.100","port":65536}""", "port")]
    [InlineData(null, """{"vip":"224.0.0.1","port":80}""", "vip")]
    [InlineData(null, """{"vip":"10.0.0.100","port":80,"protocol":"sctp"}""", "protocol")]
    [InlineData(null, """{"vip":"10.0.0.100","port":80,"mode":"nat"}""", "mode")]
    [InlineData("tcp 10.0.0.100:81", """{"vip":"10.0.0.100","port":80}""", "key")]
    [InlineData("tcp 10.0.0.100", """{"vip":"10.0.0.100","port":80}""", "key")]
    public void Bad_services_name_the_field(string? key, string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => ServiceSpec.Parse(key, Json(json)));
        Assert.Contains(e.Errors, x => x.Field == field);
    }

    [Fact]
    public void A_backend_takes_the_service_port_weight_100_and_healthy_by_default()
    {
        var b = BackendSpec.Parse(null, Json("""{"service":"tcp 10.0.0.100:80","address":"10.0.2.11"}"""), Services);
        Assert.Equal("tcp 10.0.0.100:80 10.0.2.11:80", b.Key);
        Assert.Equal((80, 100, true), ((int)b.Port, b.Weight, b.Healthy));
        var keyed = BackendSpec.Parse("tcp 10.0.0.100:80 10.0.2.12:8080", Json("""{"weight":0}"""), Services);
        Assert.Equal((8080, 0, false), ((int)keyed.Port, keyed.Weight, keyed.Usable));
    }

    [Theory]
    [InlineData(null, """{"service":"tcp 10.0.0.9:80","address":"10.0.2.11"}""", "service")]
    [InlineData(null, """{"address":"10.0.2.11"}""", "service")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80"}""", "address")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11","weight":-1}""", "weight")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11","weight":1001}""", "weight")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11","weight":"heavy"}""", "weight")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11","port":0}""", "port")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11","port":70000}""", "port")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11","healthy":"yes"}""", "healthy")]
    [InlineData(null, """{"service":"tcp 10.0.0.101:80","address":"10.0.2.11"}""", "mac")]
    [InlineData(null, """{"service":"tcp 10.0.0.101:80","address":"10.0.2.11","mac":"02:00:00:00:00:01","port":81}""", "port")]
    [InlineData(null, """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11","mac":"ff:ff:ff:ff:ff:ff"}""", "mac")]
    [InlineData("tcp 10.0.0.100:80 10.0.2.12:80", """{"service":"tcp 10.0.0.100:80","address":"10.0.2.11"}""", "key")]
    public void Bad_backends_name_the_field(string? key, string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => BackendSpec.Parse(key, Json(json), Services));
        Assert.Contains(e.Errors, x => x.Field == field);
    }
}
