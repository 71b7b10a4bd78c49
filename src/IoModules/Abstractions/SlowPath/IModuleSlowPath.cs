namespace IoVisor.IoModules;

/// <summary>The slow-path handler of one module instance: what it does with the packets it punts
/// (reasons from HOVER_PUNT_MODULE up). Called on the slow-path thread only, one record at a time.</summary>
public interface IModuleSlowPath
{
    /// <summary>Names of the reasons this module punts for, as counters show them.</summary>
    IReadOnlyDictionary<uint, string> Reasons { get; }

    void Handle(PuntRecord punt, ISlowPath slowPath);
}

/// <summary>What the slow path offers module handlers.</summary>
public interface ISlowPath
{
    /// <summary>Re-injects a frame at a module port: <see cref="FrameDirection.Rx"/> as if it arrived
    /// there, <see cref="FrameDirection.Tx"/> out of the port to its peer.</summary>
    void Send(int module, int port, FrameDirection direction, ReadOnlySpan<byte> frame);

    /// <summary>Holds a punted packet until <paramref name="nextHop"/> resolves. The first hold of a
    /// next hop probes at once, then <see cref="HoldPolicy.Retries"/> more times; on a resolution
    /// the held packets are re-injected in order at the ports they arrived on, on give-up each is
    /// handed to <see cref="INeighbourResolver.Unreachable"/>.</summary>
    void Hold(int module, uint nextHop, int outPort, PuntRecord punt, HoldPolicy policy, INeighbourResolver resolver);

    /// <summary>Releases what is held for <paramref name="nextHop"/> of the module.</summary>
    void Resolved(int module, uint nextHop);

    /// <summary>Counts a packet the handler dropped on purpose.</summary>
    void Dropped(int module, string reason);
}

public enum FrameDirection : byte
{
    Rx = 0,
    Tx = 1,
}

/// <summary>Bounds of an ARP hold queue.</summary>
/// <param name="QueueLength">Packets held per next hop; the oldest goes when a new one arrives.</param>
/// <param name="Retries">Probes after the first one before giving up.</param>
/// <param name="Interval">Time between probes, and the least time between two probes of a next hop.</param>
public sealed record HoldPolicy(int QueueLength, int Retries, TimeSpan Interval);

/// <summary>The module-specific half of neighbour resolution.</summary>
public interface INeighbourResolver
{
    /// <summary>Sends a resolution request (ARP) for <paramref name="nextHop"/> out of <paramref name="port"/>.</summary>
    void Probe(ISlowPath slowPath, int module, int port, uint nextHop);

    /// <summary>A held packet whose next hop never answered.</summary>
    void Unreachable(ISlowPath slowPath, PuntRecord held);
}
