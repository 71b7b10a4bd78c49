using System.Diagnostics;

namespace IoVisor.Bench;

/// <summary>Runs ip/bridge/tc commands; setup failures throw, cleanup calls ignore errors.</summary>
internal static class Shell
{
    public static string Run(string file, string args)
    {
        var (code, output, error) = Exec(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {args} exited {code}: {error.Trim()}");
        }
        return output;
    }

    public static void TryRun(string file, string args) => Exec(file, args);

    private static (int Code, string Output, string Error) Exec(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
