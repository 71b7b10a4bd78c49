using System.Diagnostics;
using System.Net.Sockets;

namespace IoVisor.OvnBench;

/// <summary>An ovsdb-server on a fresh database and unix socket in a temporary directory; killed
/// and deleted on dispose.</summary>
internal sealed class OvsdbServerProcess : IAsyncDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("iovisor-ovnbench-");
    private Process? process;

    public string Remote => $"unix:{Path.Combine(directory.FullName, "db.sock")}";

    public static async Task<OvsdbServerProcess> StartAsync(string schema)
    {
        var server = new OvsdbServerProcess();
        try
        {
            var db = Path.Combine(server.directory.FullName, "db");
            await Tools.RunAsync("ovsdb-tool", "create", db, schema);
            var socket = Path.Combine(server.directory.FullName, "db.sock");
            server.process = Process.Start(new ProcessStartInfo("ovsdb-server",
                [$"--remote=punix:{socket}", db, "--no-chdir", $"--log-file={Path.Combine(server.directory.FullName, "log")}",
                 $"--unixctl={Path.Combine(server.directory.FullName, "ctl")}"])
            { RedirectStandardError = true, RedirectStandardOutput = true })!;
            server.process.BeginErrorReadLine();
            server.process.BeginOutputReadLine();
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await probe.ConnectAsync(new UnixDomainSocketEndPoint(socket));
                    return server;
                }
                catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !server.process.HasExited)
                {
                    await Task.Delay(20);
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            process.WaitForExit();
        }
        process?.Dispose();
        directory.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
