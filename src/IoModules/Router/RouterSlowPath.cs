namespace IoVisor.IoModules.Router;

/// <summary>
/// What a router punts: packets waiting for ARP (held, then released or answered with host
/// unreachable), TTL expiry (time exceeded) and no route (net unreachable). Errors go back out of
/// the port the packet came in on, from that port's address, rate-limited.
/// </summary>
internal sealed class RouterSlowPath(RouterDatapath router) : IModuleSlowPath, INeighbourResolver
{
    private readonly TokenBucket _icmpBudget = new();

    public IReadOnlyDictionary<uint, string> Reasons { get; } = new Dictionary<uint, string>
    {
        [RouterAbi.PuntArpMiss] = "arpMiss",
        [RouterAbi.PuntTtl] = "ttlExceeded",
        [RouterAbi.PuntNoRoute] = "noRoute",
        [RouterAbi.PuntNeigh] = "arpLearned",
    };

    public void Handle(PuntRecord punt, ISlowPath slowPath)
    {
        switch (punt.Reason)
        {
            case RouterAbi.PuntArpMiss:
                var nextHop = Ipv4Address.FromKernel((uint)punt.Words[0]);
                slowPath.Hold(punt.Module, nextHop.Value, (int)punt.Words[1], punt, router.Config.Hold, this);
                break;
            case RouterAbi.PuntNeigh:
                slowPath.Resolved(punt.Module, Ipv4Address.FromKernel((uint)punt.Words[0]).Value);
                break;
            case RouterAbi.PuntTtl:
                SendError(slowPath, punt, IcmpErrorFrame.TimeExceeded, IcmpErrorFrame.CodeTtlExceeded);
                break;
            case RouterAbi.PuntNoRoute:
                SendError(slowPath, punt, IcmpErrorFrame.DestinationUnreachable, IcmpErrorFrame.CodeNetUnreachable);
                break;
        }
    }

    public void Probe(ISlowPath slowPath, int module, int port, uint nextHop)
    {
        var target = new Ipv4Address(nextHop);
        if (!router.Ports.TryGetValue(port, out var config) || config.SourceFor(target) is not { } source)
        {
            slowPath.Dropped(module, "noSourceAddress");
            return;
        }
        slowPath.Send(module, port, FrameDirection.Tx, ArpFrame.Request(config.Mac, source, target));
    }

    public void Unreachable(ISlowPath slowPath, PuntRecord held) =>
        SendError(slowPath, held, IcmpErrorFrame.DestinationUnreachable, IcmpErrorFrame.CodeHostUnreachable);

    private void SendError(ISlowPath slowPath, PuntRecord punt, byte type, byte code)
    {
        if (!router.Ports.TryGetValue(punt.Port, out var port) || punt.Frame.Length < EthernetFrame.HeaderLength + 20)
        {
            slowPath.Dropped(punt.Module, "icmpNotSent");
            return;
        }
        var sender = Ipv4Address.Read(punt.Frame.AsSpan(EthernetFrame.HeaderLength + 12));
        if (port.SourceFor(sender) is not { } source
            || IcmpErrorFrame.Build(punt.Frame, port.Mac, source, type, code) is not { } error)
        {
            slowPath.Dropped(punt.Module, "icmpNotSent");
            return;
        }
        if (!_icmpBudget.TryTake(router.Config.IcmpErrorsPerSecond))
        {
            slowPath.Dropped(punt.Module, "icmpRateLimited");
            return;
        }
        slowPath.Send(punt.Module, punt.Port, FrameDirection.Tx, error);
    }
}
