using IoVisor.IoModules;

namespace IoVisor.Datapath.Tests;

/// <summary>Port names of a module under test: the port at index i is named <c>names[i]</c>.</summary>
public sealed class NamedPorts(params string[] names) : IModulePorts
{
    public string? NameOf(int index) => index >= 0 && index < names.Length ? names[index] : null;

    public int? IndexOf(string name) => Array.IndexOf(names, name) is >= 0 and var i ? i : null;
}
