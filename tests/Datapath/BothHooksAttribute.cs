using System.Reflection;
using Xunit.Sdk;

namespace IoVisor.Datapath.Tests;

/// <summary>Runs a theory once per hook, "tc" then "xdp": every module builds for both from one source,
/// and each test checks that both behave the same.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothHooksAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["tc"], ["xdp"]];
}
