using System.Text.Json.Nodes;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// Programs for custom modules: the README's example (<c>examples/custom/src_count.c</c>, copied next to
/// the tests), variants of it, and their compiled objects, built here with clang against the headers hoverd
/// ships (<c>bpf/include</c> next to hoverd.dll), the way a user builds an object to upload.
/// </summary>
public static class CustomModuleSources
{
    public static string Example => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "custom", "src_count.c"));

    /// <summary>The example counting destinations instead, in a map of another name.</summary>
    public static string DestinationCounter => Example.Replace("src_count", "dst_count", StringComparison.Ordinal)
        .Replace("ip->saddr", "ip->daddr", StringComparison.Ordinal);

    /// <summary>Reads the EtherType without checking that the frame holds it: the verifier refuses the packet access.</summary>
    public const string UncheckedPacketRead = """
        #include "hover.h"

        static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
        {
        	struct ethhdr *eth = hook_data(ctx);
        	if (eth->h_proto == bpf_htons(ETH_P_ARP))
        		return HOVER_DROP;
        	md->out_port = md->in_port == 0 ? 1 : 0;
        	return HOVER_FORWARD;
        }

        #include "hover_module.h"
        """;

    /// <summary>A syntax error on line 4 (the return lacks its semicolon).</summary>
    public const string SyntaxError = """
        #include "hover.h"
        static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
        {
        	return HOVER_DROP
        }
        #include "hover_module.h"
        """;

    /// <summary>Compiles without error but never includes hover_module.h: no hover_rx program.</summary>
    public const string WithoutHoverRx = """
        #include "hover.h"
        int answer(void) { return 42; }
        """;

    /// <summary>Packets and bytes per ingress port in a per-CPU array of structs; forwards nothing.</summary>
    public const string PerPortCounters = """
        #include "hover.h"

        struct port_count {
        	__u64 packets;
        	__u64 bytes;
        };

        struct {
        	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
        	__uint(max_entries, 4);
        	__type(key, __u32);
        	__type(value, struct port_count);
        } port_counts SEC(".maps");

        static __always_inline int handle_rx(hover_ctx *ctx, struct hover_md *md)
        {
        	__u32 port = md->in_port;
        	struct port_count *c = bpf_map_lookup_elem(&port_counts, &port);
        	if (c) {
        		c->packets++;
        		c->bytes += hook_len(ctx);
        	}
        	return HOVER_DROP;
        }

        #include "hover_module.h"
        """;

    /// <summary>Tries to pull a file only root may read into its diagnostics.</summary>
    public const string IncludesShadow = """
        #include "/etc/shadow"
        #include "hover_module.h"
        """;

    public static JsonObject SourceConfig(string source) => new() { ["source"] = source };

    public static JsonObject ObjectConfig(byte[] elf) => new() { ["object"] = Convert.ToBase64String(elf) };

    /// <summary>The object a user would upload for <paramref name="hook"/>.</summary>
    public static async Task<byte[]> CompileAsync(string source, string hook)
    {
        var include = Path.Combine(Path.GetDirectoryName(HoverdLocator.Locate())!, "bpf", "include");
        var work = Directory.CreateTempSubdirectory("iovisor-test-custom-");
        try
        {
            var file = Path.Combine(work.FullName, "module.c");
            var obj = Path.Combine(work.FullName, "module.o");
            await File.WriteAllTextAsync(file, source);
            await Shell.RunCheckedAsync("clang", "-O2", "-g", "-Wall", "-Werror", "-target", "bpf",
                hook == "xdp" ? "-DHOVER_XDP" : "-DHOVER_TC", $"-I{include}", "-I/usr/include/x86_64-linux-gnu", "-c", file, "-o", obj);
            return await File.ReadAllBytesAsync(obj);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
