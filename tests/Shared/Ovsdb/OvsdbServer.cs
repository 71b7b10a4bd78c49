using System.Diagnostics;
using System.Net.Sockets;

namespace IoVisor.Tests.Shared.Ovsdb;

/// <summary>A real ovsdb-server on a fresh database in its own temporary directory (database,
/// sockets, pid file, log, control socket), killed and deleted on dispose, also when starting
/// failed half-way. <see cref="Kill"/> and <see cref="LaunchAsync"/> take it down and bring it back
/// on the same database and socket.</summary>
internal sealed class OvsdbServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly DirectoryInfo directory;
    private Process? process;

    private OvsdbServer(DirectoryInfo directory) => this.directory = directory;

    public string DbPath => File("db");

    public string SocketPath => File("db.sock");

    public string Remote => $"unix:{SocketPath}";

    /// <summary>The raft address of a clustered database.</summary>
    public string RaftRemote => $"unix:{File("raft.sock")}";

    public int Pid => process?.Id ?? throw new InvalidOperationException("the server is not running");

    public string LogText => System.IO.File.Exists(File("log")) ? System.IO.File.ReadAllText(File("log")) : "";

    public static Task<OvsdbServer> StartAsync(string schema) => CreateAsync(server => server.CreateDatabaseAsync(schema));

    /// <summary>An initialized OVN northbound database, as ovn-northd would find it.</summary>
    public static Task<OvsdbServer> StartNorthboundAsync() =>
        CreateAsync(server => server.CreateDatabaseAsync(OvsTools.NbSchema), server => server.NbctlAsync("init"));

    /// <summary>An initialized Open_vSwitch database, as ovs-vswitchd would find it.</summary>
    public static Task<OvsdbServer> StartOpenVswitchAsync() =>
        CreateAsync(server => server.CreateDatabaseAsync(OvsTools.VswitchSchema), server => server.VsctlAsync("init"));

    /// <summary>A one-server raft cluster: clustered, so it keeps transaction history.</summary>
    public static Task<OvsdbServer> StartClusterAsync(string schema) =>
        CreateAsync(server => OvsTools.RunAsync("ovsdb-tool", "create-cluster", server.DbPath, OvsTools.Schema(schema), server.RaftRemote));

    /// <summary>A second member joining <paramref name="leader"/>'s cluster.</summary>
    public static Task<OvsdbServer> JoinClusterAsync(OvsdbServer leader, string database) =>
        CreateAsync(server => OvsTools.RunAsync("ovsdb-tool", "join-cluster", server.DbPath, database, server.RaftRemote, leader.RaftRemote));

    public string File(string name) => Path.Combine(directory.FullName, name);

    /// <summary>Starts ovsdb-server on the database, listening on <see cref="SocketPath"/> or on
    /// the given remotes, and waits until it accepts connections.</summary>
    public async Task LaunchAsync(params string[] remotes)
    {
        if (remotes.Length == 0)
        {
            remotes = [$"punix:{SocketPath}"];
        }
        var start = new ProcessStartInfo(OvsTools.Find("ovsdb-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in remotes.Select(r => $"--remote={r}").Concat([
            DbPath, "--no-chdir", $"--pidfile={File("pid")}", $"--log-file={File("log")}", $"--unixctl={File("ctl")}"]))
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var remote in remotes.Where(r => r.StartsWith("punix:", StringComparison.Ordinal)))
        {
            System.IO.File.Delete(remote["punix:".Length..]);
        }
        process = Process.Start(start) ?? throw new InvalidOperationException("could not start ovsdb-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        foreach (var remote in remotes.Where(r => r.StartsWith("punix:", StringComparison.Ordinal)))
        {
            await WaitForSocketAsync(remote["punix:".Length..]);
        }
    }

    /// <summary>SIGKILL: the server dies without closing anything cleanly.</summary>
    public void Kill()
    {
        if (process is null)
        {
            return;
        }
        process.Kill();
        process.WaitForExit();
        process.Dispose();
        process = null;
    }

    public Task<string> NbctlAsync(params string[] args) =>
        OvsTools.RunAsync("ovn-nbctl", [$"--db={Remote}", "--timeout=20", .. args]);

    /// <summary>ovs-vsctl against this server; there is no ovs-vswitchd, hence --no-wait.</summary>
    public Task<string> VsctlAsync(params string[] args) =>
        OvsTools.RunAsync("ovs-vsctl", [$"--db={Remote}", "--no-wait", "--timeout=20", .. args]);

    public Task<string> AppctlAsync(params string[] args) =>
        OvsTools.RunAsync("ovs-appctl", ["-t", File("ctl"), .. args]);

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Makes the database, launches the server on it, then runs <paramref name="initialize"/>
    /// against it.</summary>
    private static async Task<OvsdbServer> CreateAsync(Func<OvsdbServer, Task> createDatabase, Func<OvsdbServer, Task>? initialize = null)
    {
        var server = new OvsdbServer(Directory.CreateTempSubdirectory("iovisor-ovsdb-"));
        try
        {
            OvsTools.Find("ovsdb-server");
            await createDatabase(server);
            await server.LaunchAsync();
            if (initialize is not null)
            {
                await initialize(server);
            }
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private Task<string> CreateDatabaseAsync(string schema) =>
        OvsTools.RunAsync("ovsdb-tool", "create", DbPath, OvsTools.Schema(schema));

    private async Task WaitForSocketAsync(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"ovsdb-server exited with {process.ExitCode}:\n{LogText}");
            }
            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartTimeout)
            {
                await Task.Delay(20);
            }
        }
    }
}
