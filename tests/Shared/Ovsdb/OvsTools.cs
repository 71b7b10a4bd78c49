using System.Diagnostics;

namespace IoVisor.Tests.Shared.Ovsdb;

/// <summary>Runs the OVS and OVN command-line tools. A missing tool fails the test with what to
/// install: these tests never skip.</summary>
internal static class OvsTools
{
    public const string NbSchema = "/usr/share/ovn/ovn-nb.ovsschema";
    public const string VswitchSchema = "/usr/share/openvswitch/vswitch.ovsschema";

    private const string Packages = "the Debian packages ovn-central ovn-common openvswitch-common openvswitch-switch (run `make deps`)";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string[] SearchPath =
        [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/usr/bin", "/sbin"];

    /// <summary>The tool's full path; throws naming the packages when it is not installed.</summary>
    public static string Find(string tool) =>
        SearchPath.Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} is not installed: the OVSDB and OVN tests need {Packages}");

    /// <summary>A schema file shipped by those packages; throws the same way when it is missing.</summary>
    public static string Schema(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: the OVSDB and OVN tests need {Packages}");

    /// <summary>Runs the tool to completion and returns its standard output; throws with its
    /// standard error when it fails.</summary>
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(Find(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish within {Timeout}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        }
        return await stdout;
    }
}
