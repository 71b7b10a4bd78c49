using System.Runtime.InteropServices;

namespace IoVisor.Bpf.Interop;

// libbpf options structs (x86_64 layouts of /usr/include/bpf/{libbpf,bpf}.h, libbpf 1.1).
// Every one starts with sz: libbpf reads only the fields that fit in sz and rejects
// non-zero bytes it does not know, so each is created zeroed with sz set. Sizes and offsets
// are checked against the C headers by InteropLayoutTests.

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfObjectOpenOpts
{
    public nuint Sz;
    public byte* ObjectName;
    public byte RelaxedMaps;
    public byte* PinRootPath;
    private uint _removedAttachProgFd;
    public byte* Kconfig;
    public byte* BtfCustomPath;
    public byte* KernelLogBuf;
    public nuint KernelLogSize;
    public uint KernelLogLevel;

    public static BpfObjectOpenOpts Create() => new() { Sz = (nuint)sizeof(BpfObjectOpenOpts) };
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfTestRunOpts
{
    public nuint Sz;
    public void* DataIn;
    public void* DataOut;
    public uint DataSizeIn;
    public uint DataSizeOut;
    public void* CtxIn;
    public void* CtxOut;
    public uint CtxSizeIn;
    public uint CtxSizeOut;
    public uint Retval;
    public int Repeat;
    public uint Duration;
    public uint Flags;
    public uint Cpu;
    public uint BatchSize;

    public static BpfTestRunOpts Create() => new() { Sz = (nuint)sizeof(BpfTestRunOpts) };
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfMapBatchOpts
{
    public nuint Sz;
    public ulong ElemFlags;
    public ulong Flags;

    public static BpfMapBatchOpts Create() => new() { Sz = (nuint)sizeof(BpfMapBatchOpts) };
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfTcHook
{
    public nuint Sz;
    public int Ifindex;
    public uint AttachPoint;
    public uint Parent;
    private uint _tailPadding;

    public static BpfTcHook Create() => new() { Sz = (nuint)sizeof(BpfTcHook) };
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfTcOpts
{
    public nuint Sz;
    public int ProgFd;
    public uint Flags;
    public uint ProgId;
    public uint Handle;
    public uint Priority;
    private uint _tailPadding;

    public static BpfTcOpts Create() => new() { Sz = (nuint)sizeof(BpfTcOpts) };
}
