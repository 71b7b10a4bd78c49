using System.Diagnostics;

namespace IoVisor.OvnBridge.Tests.Harness;

public sealed record CommandResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    public CommandResult EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException($"`{Command}` exited with {ExitCode}: {Stderr}{Stdout}");
}

/// <summary>Runs a program with an argument list (no shell) and captures its output.</summary>
internal static class Shell
{
    public static async Task<CommandResult> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return new CommandResult($"{file} {string.Join(' ', args)}", process.ExitCode, await stdout, await stderr);
    }

    public static async Task<CommandResult> RunCheckedAsync(string file, params string[] args) => (await RunAsync(file, args)).EnsureSuccess();

    /// <summary>For Dispose paths.</summary>
    public static CommandResult Run(string file, params string[] args) => RunAsync(file, args).GetAwaiter().GetResult();
}
