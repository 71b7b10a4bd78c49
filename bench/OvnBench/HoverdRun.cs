using System.Diagnostics;
using IoVisor.Bpf;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;

namespace IoVisor.OvnBench;

/// <summary>hoverd pointed at the benchmark's databases, with a scratch state and pin directory
/// removed on dispose (which also detaches everything it attached).</summary>
internal sealed class HoverdRun : IAsyncDisposable
{
    private readonly Process process;
    private readonly string stateDir;
    private readonly string bpffsDir;

    private HoverdRun(Process process, string stateDir, string bpffsDir, int port)
    {
        this.process = process;
        this.stateDir = stateDir;
        this.bpffsDir = bpffsDir;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public HttpClient Http { get; }

    public static HoverdRun Start(string northbound, string openVswitch)
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var stateDir = Path.Combine(Path.GetTempPath(), "iovisor-ovnbench-state-" + hex);
        var bpffsDir = "/sys/fs/bpf/iovisor-ovnbench-" + hex;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var dll = Environment.GetEnvironmentVariable("HOVERD_DLL")
            ?? typeof(HoverdRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "HoverdPath").Value!;
        var start = new ProcessStartInfo("dotnet",
            [dll, "--listen", $"http://127.0.0.1:{port}", "--state-dir", stateDir, "--bpffs-dir", bpffsDir,
             "--ovn-nb", northbound, "--ovs-db", openVswitch, "--ovn-ack-cfg", "true"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start hoverd");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HoverdRun(process, stateDir, bpffsDir, port);
    }

    public async Task WaitHealthyAsync()
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"hoverd exited with {process.ExitCode}");
            }
            try
            {
                using var response = await Http.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(20);
        }
    }

    public async Task<JsonNode> StatusAsync() => JsonNode.Parse(await Http.GetStringAsync("ovn/status"))!;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        process.Dispose();
        Http.Dispose();
        PinRoot.Remove(bpffsDir);
        if (Directory.Exists(stateDir))
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }
}
