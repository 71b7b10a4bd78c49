using System.Reflection;
using System.Text.RegularExpressions;
using IoVisor.Hover.Client;
using RestEase;
using YamlDotNet.RepresentationModel;

namespace IoVisor.Client.Tests;

/// <summary>Every operation of the API contract has a method on <see cref="IHoverApi"/>.</summary>
public sealed partial class OpenApiCoverageTests
{
    private static readonly HashSet<string> HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    [Fact]
    public void Every_operation_of_openapi_yaml_has_a_client_method()
    {
        var client = ClientOperations();
        var missing = ContractOperations().Where(op => !client.Contains(op)).ToList();
        Assert.True(missing.Count == 0, "IHoverApi has no method for:\n  " + string.Join("\n  ", missing));
    }

    [Fact]
    public void The_contract_is_read_whole()
    {
        // Guards the test above against passing because it parsed nothing.
        var contract = ContractOperations();
        Assert.Contains("GET /modules", contract);
        Assert.Contains("DELETE /modules/{}/tables/{}/entries/{}", contract);
        Assert.True(contract.Count >= 24, $"only {contract.Count} operations found in openapi.yaml");
    }

    /// <summary>"METHOD /path" for each operation, path parameters reduced to {} (their names are not the route).</summary>
    private static List<string> ContractOperations()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepoPaths.File("openapi.yaml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var paths = (YamlMappingNode)root.Children[new YamlScalarNode("paths")];
        return [.. from path in paths.Children
                   from operation in ((YamlMappingNode)path.Value).Children
                   let method = ((YamlScalarNode)operation.Key).Value!
                   where HttpMethods.Contains(method)
                   select Operation(method, ((YamlScalarNode)path.Key).Value!)];
    }

    private static HashSet<string> ClientOperations() =>
        [.. from method in typeof(IHoverApi).GetMethods()
            let request = method.GetCustomAttribute<RequestAttribute>()
            where request is not null
            select Operation(request.Method.Method, request.Path ?? "")];

    private static string Operation(string method, string path) =>
        $"{method.ToUpperInvariant()} /{PathParameter().Replace(path.Trim('/'), "{}")}";

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex PathParameter();
}
