using System.Diagnostics;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>Runs a program to completion with an argument list (no shell quoting) and captures its output.</summary>
public static class Shell
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = CreateStartInfo(file, args);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"`{CommandLine(psi)}` did not finish within {timeout ?? DefaultTimeout}:\n{await stdout}\n{await stderr}");
        }
        return new CommandResult(CommandLine(psi), process.ExitCode, await stdout, await stderr);
    }

    public static Task<CommandResult> RunAsync(string file, params string[] args) => RunAsync(file, (IEnumerable<string>)args);

    public static async Task<CommandResult> RunCheckedAsync(string file, params string[] args) =>
        (await RunAsync(file, args)).EnsureSuccess();

    /// <summary>Synchronous variant for Dispose paths.</summary>
    public static CommandResult Run(string file, params string[] args) =>
        RunAsync(file, args).GetAwaiter().GetResult();

    internal static ProcessStartInfo CreateStartInfo(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        return psi;
    }

    internal static string CommandLine(ProcessStartInfo psi) =>
        string.Join(' ', new[] { psi.FileName }.Concat(psi.ArgumentList));
}
