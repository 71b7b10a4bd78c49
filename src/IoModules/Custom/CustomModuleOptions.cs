using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;

namespace IoVisor.IoModules.Custom;

/// <summary>Limits and tools for user-supplied modules (configuration section Hover:Custom). The daemon
/// fills in the two folders from its own options.</summary>
public sealed class CustomModuleOptions
{
    /// <summary>Where the modules' objects are kept, named by content (&lt;sha256&gt;.&lt;hook&gt;.o), so a
    /// restart loads the very object it loaded before.</summary>
    [Required]
    public string ObjectStoreDir { get; set; } = "";

    /// <summary>The chain ABI headers a source includes (hover.h, hover_module.h, parse.h, ...).</summary>
    [Required]
    public string IncludeDir { get; set; } = "";

    /// <summary>This machine's multiarch kernel headers (asm/types.h) for the BPF target.</summary>
    [Required]
    public string SystemIncludeDir { get; set; } = $"/usr/include/{MultiarchTriple()}";

    /// <summary>The compiler; BPF sources are built as the built-in modules are.</summary>
    [Required]
    public string Clang { get; set; } = "clang";

    /// <summary>When hoverd runs as root, clang runs as this user (through setpriv), so that a source cannot
    /// #include a file only root may read and get it back in the diagnostics. It must be able to read
    /// <see cref="IncludeDir"/>. Empty: clang runs as hoverd does.</summary>
    public string CompilerUser { get; set; } = "nobody";

    [Range(1, 16 * 1024 * 1024)]
    public int MaxSourceBytes { get; set; } = 256 * 1024;

    [Range(1, 64 * 1024 * 1024)]
    public int MaxObjectBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Wall time one compilation may take before clang is killed.</summary>
    [Range(1, 600)]
    public int CompileTimeoutSeconds { get; set; } = 20;

    /// <summary>Debian's multiarch triple of the running architecture (what `gcc -dumpmachine` says).</summary>
    private static string MultiarchTriple() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "aarch64-linux-gnu",
        Architecture.Arm => "arm-linux-gnueabihf",
        Architecture.RiscV64 => "riscv64-linux-gnu",
        Architecture.LoongArch64 => "loongarch64-linux-gnu",
        Architecture.Ppc64le => "powerpc64le-linux-gnu",
        Architecture.S390x => "s390x-linux-gnu",
        _ => "x86_64-linux-gnu",
    };
}
