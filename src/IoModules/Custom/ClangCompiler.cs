using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoVisor.IoModules.Custom;

/// <summary>Builds a module's BPF C source for one hook, as the built-in modules are built (clang -O2 -g
/// -Wall -target bpf -DHOVER_TC|-DHOVER_XDP), against the chain ABI headers shipped with the daemon. The
/// source goes in on stdin as "module.c" and the object comes back on stdout: no files, and diagnostics
/// name the user's file and nothing of the server's. clang runs as an unprivileged user when hoverd is root,
/// and is killed when the time limit passes or the request goes away.</summary>
internal sealed partial class ClangCompiler(IOptions<CustomModuleOptions> options, ILogger logger)
{
    public const string FileName = "module.c";
    private const int MaxDiagnosticLines = 60;
    private const int MaxDiagnosticChars = 8000;

    public async Task<byte[]> CompileAsync(string source, HookKind hook, CancellationToken ct)
    {
        var o = options.Value;
        var started = Stopwatch.StartNew();
        // The #line directive names the file for diagnostics and for the line info the verifier log quotes.
        var input = Encoding.UTF8.GetBytes($"#line 1 \"{FileName}\"\n{source}");
        var (exitCode, elf, diagnostics) = await RunAsync(StartInfo(o, hook), input, TimeSpan.FromSeconds(o.CompileTimeoutSeconds), ct);
        if (exitCode != 0)
        {
            throw new ConfigException("config.source", "does not compile:\n" + Diagnostics(diagnostics));
        }
        LogCompiled(logger, hook.ObjectSuffix(), started.ElapsedMilliseconds, elf.Length);
        return elf;
    }

    private static ProcessStartInfo StartInfo(CustomModuleOptions o, HookKind hook)
    {
        var user = CompilerUser.Resolve(o.CompilerUser, o.IncludeDir);
        var psi = new ProcessStartInfo(user is null ? o.Clang : "setpriv")
        {
            // Also what the object's debug info records as the compilation folder.
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        IEnumerable<string> clang =
        [
            "-O2", "-g", "-Wall", "-target", "bpf", hook == HookKind.Xdp ? "-DHOVER_XDP" : "-DHOVER_TC", "-fno-color-diagnostics",
            $"-I{o.IncludeDir}", $"-I{o.SystemIncludeDir}", "-x", "c", "-", "-c", "-o", "-",
        ];
        foreach (var arg in user is null ? clang : user.SetprivArguments().Append(o.Clang).Concat(clang))
        {
            psi.ArgumentList.Add(arg);
        }
        return psi;
    }

    /// <summary>Runs clang to its end with <paramref name="input"/> on stdin; returns its exit code, what it
    /// wrote on stdout (the object, at most <see cref="CustomModuleOptions.MaxObjectBytes"/>) and on stderr.</summary>
    private async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(ProcessStartInfo psi, byte[] input, TimeSpan limit, CancellationToken ct)
    {
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run the BPF compiler '{psi.FileName}': {e.Message}", e);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, options.Value.MaxObjectBytes);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            try
            {
                await using var stdin = process.StandardInput.BaseStream;
                await stdin.WriteAsync(input, deadline.Token);
            }
            catch (IOException)
            {
                // clang stopped reading before the end of the source: its exit code and messages say why.
            }
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            throw new ConfigException("config.source",
                $"compiling took longer than {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; clang was stopped");
        }
        var elf = await stdout ?? throw new ConfigException("config.source",
            $"compiles to an object larger than {options.Value.MaxObjectBytes} bytes");
        return (process.ExitCode, elf, await stderr);
    }

    /// <summary>Everything <paramref name="stream"/> gives, or null once it gives more than <paramref name="max"/>
    /// bytes (read to the end all the same, so the writer never blocks).</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream stream, int max)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            if (kept.Length + read <= max)
            {
                kept.Write(buffer, 0, read);
            }
            else
            {
                kept.SetLength(max + 1L);
            }
        }
        return kept.Length > max ? null : kept.ToArray();
    }

    /// <summary>clang's messages with the server's header folders taken out ("hover.h:12:3: ..."), cut
    /// to a size a problem answer can carry.</summary>
    private string Diagnostics(string output)
    {
        var o = options.Value;
        var text = output
            .Replace(o.IncludeDir.TrimEnd('/') + "/", "", StringComparison.Ordinal)
            .Replace(o.SystemIncludeDir.TrimEnd('/') + "/", "", StringComparison.Ordinal)
            .Trim();
        var lines = text.Split('\n');
        if (lines.Length > MaxDiagnosticLines)
        {
            text = string.Join('\n', lines.Take(MaxDiagnosticLines)) + $"\n... ({lines.Length - MaxDiagnosticLines} more lines)";
        }
        return text.Length > MaxDiagnosticChars ? text[..MaxDiagnosticChars] + "\n... (cut)" : text;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compiled a custom module for {Hook} in {Milliseconds} ms ({Bytes} bytes)")]
    private static partial void LogCompiled(ILogger logger, string hook, long milliseconds, int bytes);
}
