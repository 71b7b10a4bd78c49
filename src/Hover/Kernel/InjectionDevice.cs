using System.Diagnostics;
using IoVisor.Bpf;
using IoVisor.IoModules;
using IoVisor.SlowPath;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Kernel;

/// <summary>The veth pair frames are re-injected through: the slow path writes to the outer end,
/// the injector programs (XDP, and TC for frames bound to the TC patch panel) run on the inner end.</summary>
public sealed class InjectionDevice(PatchPanel panel, IOptions<HoverOptions> options)
{
    public string Name { get; } = PinRoot.InjectionDeviceOf(options.Value.BpffsDir);

    public string OuterName => Name + "o";

    /// <summary>Creates the pair if missing, attaches the injectors and opens the sender.</summary>
    public PacketSender Open()
    {
        if (Netdev.IndexOf(Name) == 0)
        {
            Ip("link", "add", Name, "type", "veth", "peer", "name", OuterName);
        }
        foreach (var dev in new[] { Name, OuterName })
        {
            File.WriteAllText($"/proc/sys/net/ipv6/conf/{dev}/disable_ipv6", "1");
            Ip("link", "set", dev, "up");
        }
        var inner = Netdev.IndexOf(Name);
        XdpAttachment.Attach(inner, panel.InjectProgram(HookKind.Xdp).Fd, XdpMode.Native);
        TcAttachment.Attach(inner, TcDirection.Ingress, panel.InjectProgram(HookKind.Tc).Fd);
        return new PacketSender(Netdev.IndexOf(OuterName));
    }

    private static void Ip(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("ip", args) { RedirectStandardError = true })!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)}: {error.Trim()}");
        }
    }
}
