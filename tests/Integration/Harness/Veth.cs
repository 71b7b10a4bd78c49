namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// A veth pair made by <see cref="NetworkNamespace.AddVethAsync"/>: <see cref="HostName"/> stays in the host
/// namespace (that is what a bridge port links to, as <c>netdev:HostName</c>); <see cref="InnerName"/> lives in
/// the test namespace with <see cref="Mac"/> and, if given, <see cref="Ipv4Cidr"/>.
/// </summary>
public sealed record Veth(string HostName, string InnerName, string Mac, string? Ipv4Cidr)
{
    public string NetdevRef => $"netdev:{HostName}";

    /// <summary>The address without prefix length, e.g. "10.77.0.1".</summary>
    public string? Ipv4 => Ipv4Cidr?.Split('/')[0];
}
