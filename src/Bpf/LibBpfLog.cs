using System.Runtime.InteropServices;
using System.Text;
using IoVisor.Bpf.Interop;
using Microsoft.Extensions.Logging;

namespace IoVisor.Bpf;

/// <summary>Routes libbpf's own messages (open, relocation, pinning, load warnings) into an <see cref="ILogger"/>.</summary>
public static unsafe class LibBpfLog
{
    private const int MessageBufferSize = 4096;

    // libbpf has one process-wide print callback; this is its destination.
    private static volatile ILogger? s_logger;

    /// <summary>Sends libbpf's messages to <paramref name="logger"/> from now on (process-wide; the last call wins).</summary>
    public static void Route(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        s_logger = logger;
        LibBpf.libbpf_set_print(&Print);
    }

    // enum libbpf_print_level: LIBBPF_WARN, LIBBPF_INFO, LIBBPF_DEBUG.
    private static LogLevel ToLogLevel(int level) => level switch
    {
        0 => LogLevel.Warning,
        1 => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    [UnmanagedCallersOnly]
    private static int Print(int level, nint format, nint arguments)
    {
        try
        {
            ILogger? logger = s_logger;
            LogLevel logLevel = ToLogLevel(level);
            if (logger is null || !logger.IsEnabled(logLevel))
            {
                return 0;
            }

            byte* buffer = stackalloc byte[MessageBufferSize];
            int length = Libc.vsnprintf(buffer, MessageBufferSize, format, arguments);
            if (length < 0)
            {
                return 0;
            }

            string message = Encoding.UTF8.GetString(buffer, Math.Min(length, MessageBufferSize - 1)).TrimEnd('\n');
            logger.Log(logLevel, "libbpf: {Message}", message);
            return length;
        }
        catch (Exception)
        {
            // A logger failure must not unwind into libbpf.
            return 0;
        }
    }
}
