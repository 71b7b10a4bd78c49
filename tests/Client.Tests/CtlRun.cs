using IoVisor.Hover.Client;
using IoVisor.HoverCtl;

namespace IoVisor.Client.Tests;

/// <summary>One in-process hoverctl run: its exit code and what it wrote.</summary>
internal sealed record CtlRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs hoverctl with <paramref name="args"/> against <paramref name="handler"/> standing in for the daemon.</summary>
    public static async Task<CtlRun> AgainstAsync(HttpMessageHandler handler, params string[] args) =>
        await RunAsync(args, uri => HoverClient.Create(uri, handler));

    /// <summary>Runs hoverctl with <paramref name="args"/> against whatever --server names, over the network.</summary>
    public static async Task<CtlRun> RunAsync(
        string[] args, Func<Uri, IHoverApi>? connect = null, string stdin = "", string? serverFromEnvironment = null, CancellationToken ct = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CtlEnvironment(new StringReader(stdin), stdout, stderr, connect ?? HoverClient.Create, serverFromEnvironment);
        var exitCode = await CommandTree.RunAsync(args, environment, ct);
        return new CtlRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    public CtlRun Expect(int exitCode) =>
        ExitCode == exitCode ? this : throw new Xunit.Sdk.XunitException($"expected exit code {exitCode}, got {Describe()}");

    public string Describe() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
