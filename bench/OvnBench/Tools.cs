using System.Diagnostics;

namespace IoVisor.OvnBench;

/// <summary>Runs a command to completion; throws with its error output when it fails.</summary>
internal static class Tools
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{file} {string.Join(' ', args.Take(8))} ... exited with {process.ExitCode}: {await stderr}");
    }

    /// <summary>`ip -batch -` with one command per line: hundreds of links in one process.</summary>
    public static async Task IpBatchAsync(IEnumerable<string> commands, bool force = false)
    {
        var start = new ProcessStartInfo("ip", force ? ["-force", "-batch", "-"] : ["-batch", "-"])
        {
            RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ip");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        foreach (var command in commands)
        {
            await process.StandardInput.WriteLineAsync(command);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !force)
        {
            throw new InvalidOperationException($"ip -batch failed: {await stderr}");
        }
    }
}
