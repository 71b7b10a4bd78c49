using IoVisor.Bpf;
using IoVisor.IoModules;

namespace IoVisor.Hover.Graph;

/// <summary>Whether a link may join the graph as it stands: both ends exist and are free, the
/// modules share a hook, and each port accepts that kind of peer. Errors name "from" or "to".</summary>
public static class LinkValidation
{
    public static void Validate(GraphState state, LinkState link, ModuleTypeRegistry types)
    {
        var (a, b) = (link.From, link.To);
        var ma = EndpointModule(state, a, "from");
        if (state.LinkOf(a) is { } existingA)
        {
            throw new ConflictException("from", $"{a} is already linked ({existingA.Id})");
        }
        if (b.IsNetdev)
        {
            if (Netdev.IndexOf(b.Netdev) == 0)
            {
                throw new ConfigException("to", $"no interface '{b.Netdev}'");
            }
            if (state.LinkOf(b) is { } existingB)
            {
                throw new ConflictException("to", $"{b} is already linked ({existingB.Id})");
            }
            types.Get(ma.Type).ValidatePeer(GraphService.PortOf(ma, a.Port).Config, PeerKind.Netdev);
            return;
        }
        var mb = EndpointModule(state, b, "to");
        if (a == b)
        {
            throw new ConfigException("to", "a port cannot be linked to itself");
        }
        if (state.LinkOf(b) is { } existing)
        {
            throw new ConflictException("to", $"{b} is already linked ({existing.Id})");
        }
        if (ma.Hook != mb.Hook)
        {
            throw new ConfigException("to", $"'{ma.Name}' runs at {ma.Hook.ObjectSuffix()} and '{mb.Name}' at {mb.Hook.ObjectSuffix()}: linked modules must share a hook");
        }
        types.Get(ma.Type).ValidatePeer(GraphService.PortOf(ma, a.Port).Config, PeerKind.Module);
        types.Get(mb.Type).ValidatePeer(GraphService.PortOf(mb, b.Port).Config, PeerKind.Module);
    }

    private static ModuleState EndpointModule(GraphState state, LinkEnd e, string field)
    {
        if (!state.Modules.TryGetValue(e.Module, out var m))
        {
            throw new ConfigException(field, $"no module '{e.Module}'");
        }
        if (!m.Ports.ContainsKey(e.Port))
        {
            throw new ConfigException(field, $"module '{e.Module}' has no port '{e.Port}'");
        }
        return m;
    }
}
