using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.IoModules.Abi;

namespace IoVisor.Datapath.Tests;

/// <summary>
/// One module's object for a hook, loaded the way the daemon loads a module: &lt;object&gt;.&lt;hook&gt;.o
/// after the entry (<see cref="EntryUnderTest"/>), sharing the hover_* maps through the pins, its own
/// maps pinned in modules/&lt;name&gt;, its hover_rx at <see cref="Index"/> in the hook's program array.
/// A module's test fixture derives from it and adds what it writes through the control plane.
/// </summary>
public class ModuleUnderTest : IDisposable
{
    private readonly BpfObject _object;
    private readonly bool _ownsEntry;

    /// <summary>The module alone on its hook: loads its own entry under <paramref name="root"/>.</summary>
    public ModuleUnderTest(string hook, string root, string objectName, string name, uint index)
    {
        Entry = new EntryUnderTest(hook, root);
        _ownsEntry = true;
        try
        {
            (_object, Rx) = LoadInto(Entry, objectName, name, index);
        }
        catch
        {
            Entry.Dispose();
            throw;
        }

        Name = name;
        Index = index;
    }

    /// <summary>One of the modules of a hook: the caller owns <paramref name="entry"/>.</summary>
    public ModuleUnderTest(EntryUnderTest entry, string objectName, string name, uint index)
    {
        Entry = entry;
        (_object, Rx) = LoadInto(entry, objectName, name, index);
        Name = name;
        Index = index;
    }

    public EntryUnderTest Entry { get; }

    /// <summary>The instance name, also its pin folder under modules/.</summary>
    public string Name { get; }

    /// <summary>Slot in the program array; also the first half of its ports' global ids.</summary>
    public uint Index { get; }

    public BpfProgram Rx { get; }

    public bool IsXdp => Entry.IsXdp;

    public uint Drop => Entry.Drop;

    public uint Pass => Entry.Pass;

    public uint Redirect => Entry.Redirect;

    public BpfMap Map(string name) => _object.Map(name);

    /// <summary>Binds the control plane of <paramref name="type"/> to this object, as the daemon does.</summary>
    public IModuleDatapath Bind(IModuleType type, IModulePorts ports) =>
        type.Bind(new ModuleObject(Name, (int)Index, Entry.Kind, _object, ports));

    /// <summary>Runs hover_rx as if the framework had entered the module on <paramref name="port"/>:
    /// every CPU's hover_md is {Module, InPort=port, OutPort and Reason = <see cref="RunOutcome.NoPort"/>}.</summary>
    public RunOutcome Run(int port, byte[] frame) => Entry.Run(Rx, EnteredOn(port), frame);

    /// <summary>The kernel's mean run time per packet of hover_rx entered on <paramref name="port"/>
    /// (see <see cref="EntryUnderTest.Time"/>).</summary>
    public (uint Verdict, double NsPerPacket) Time(int port, byte[] frame, uint repeat, int runs) =>
        Entry.Time(Rx, EnteredOn(port), frame, repeat, runs);

    /// <summary>Links the port to its fake netdev (see <see cref="EntryUnderTest.LinkNetdev"/>).</summary>
    public void LinkNetdev(int port, bool inDevmap = true) => Entry.LinkNetdev(Index, port, inDevmap);

    public void ZeroStats(int port) => Entry.ZeroStats(Index, port);

    /// <summary>hover_stats of the port, summed over CPUs.</summary>
    public HoverPortStats StatsOf(int port) => Entry.StatsOf(Index, port);

    private HoverMd EnteredOn(int port) =>
        new() { Module = Index, InPort = (uint)port, OutPort = RunOutcome.NoPort, Reason = RunOutcome.NoPort };

    private static (BpfObject, BpfProgram) LoadInto(EntryUnderTest entry, string objectName, string name, uint index)
    {
        string moduleDir = Path.Combine(entry.Root, "modules", name);
        BpfFs.EnsureMounted(moduleDir);
        var obj = EntryUnderTest.Load($"{objectName}.{entry.Hook}.o", entry.Root, moduleDir);
        try
        {
            var rx = obj.Program("hover_rx");
            ProgArray.Set(entry.Progs, index, rx.Fd);
            return (obj, rx);
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _object.Dispose();
        if (_ownsEntry)
        {
            Entry.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
