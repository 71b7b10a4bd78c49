namespace IoVisor.IoModules.Firewall;

/// <summary>
/// Answers rejected packets as their destination would refuse them, back out of the port they came
/// in on: TCP with a reset, UDP with ICMP port unreachable (so that the sender's socket reports a
/// refused connection), anything else with ICMP communication administratively prohibited (RFC
/// 1812 5.2.7.1). At most <c>rejectsPerSecond</c>; no answer to errors, fragments or broadcasts.
/// </summary>
internal sealed class FirewallSlowPath(Func<int> rejectsPerSecond) : IModuleSlowPath
{
    private const byte CodePortUnreachable = 3;
    private const byte CodeAdministrativelyProhibited = 13;
    private const int IpProtocolOffset = EthernetFrame.HeaderLength + 9;

    private readonly TokenBucket _budget = new();

    public IReadOnlyDictionary<uint, string> Reasons { get; } = new Dictionary<uint, string>
    {
        [FirewallAbi.PuntReject] = "reject",
    };

    public void Handle(PuntRecord punt, ISlowPath slowPath)
    {
        if (Answer(punt.Frame) is not { } answer)
        {
            slowPath.Dropped(punt.Module, "rejectNotAnswered");
            return;
        }
        if (!_budget.TryTake(rejectsPerSecond()))
        {
            slowPath.Dropped(punt.Module, "rejectRateLimited");
            return;
        }
        slowPath.Send(punt.Module, punt.Port, FrameDirection.Tx, answer);
    }

    private static byte[]? Answer(byte[] frame)
    {
        if (frame.Length <= IpProtocolOffset || EthernetFrame.Ethertype(frame) != EthernetFrame.EthertypeIpv4)
        {
            return null;
        }
        var destinationMac = EthernetFrame.Destination(frame);
        var destination = Ipv4Address.Read(frame.AsSpan(EthernetFrame.HeaderLength + 16));
        return frame[IpProtocolOffset] switch
        {
            6 => TcpResetFrame.Build(frame),
            17 => IcmpErrorFrame.Build(frame, destinationMac, destination, IcmpErrorFrame.DestinationUnreachable, CodePortUnreachable),
            _ => IcmpErrorFrame.Build(frame, destinationMac, destination, IcmpErrorFrame.DestinationUnreachable, CodeAdministrativelyProhibited),
        };
    }
}
