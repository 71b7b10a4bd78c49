using System.Diagnostics;
using IoVisor.Bpf;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IoVisor.OvnBridge.Tests.Harness;

/// <summary>
/// One hoverd pointed at OVN: <c>dotnet hoverd.dll --listen ... --state-dir ... --bpffs-dir
/// /sys/fs/bpf/iovisor-ovntest-HEX --ovn-nb unix:... --ovs-db unix:... --ovn-ack-cfg true</c>.
/// Dispose kills it and removes its pins (which detaches and frees its programs) and state.
/// </summary>
internal sealed class HoverdProcess : IAsyncDisposable
{
    public const string BpffsPrefix = "/sys/fs/bpf/iovisor-ovntest-";

    private readonly StringBuilder output = new();
    private readonly string[] arguments;
    private readonly string stateDir;
    private readonly string bpffsDir;
    private Process? process;

    private HoverdProcess(string[] arguments, string stateDir, string bpffsDir, Uri address)
    {
        this.arguments = arguments;
        this.stateDir = stateDir;
        this.bpffsDir = bpffsDir;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<HoverdProcess> StartAsync(string northbound, string openVswitch)
    {
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var port = FreePort();
        var stateDir = Path.Combine(Path.GetTempPath(), "iovisor-ovntest-state-" + hex);
        var bpffsDir = BpffsPrefix + hex;
        var hoverd = new HoverdProcess(
            [Locate(), "--listen", $"http://127.0.0.1:{port}", "--state-dir", stateDir, "--bpffs-dir", bpffsDir,
             "--ovn-nb", northbound, "--ovs-db", openVswitch, "--ovn-ack-cfg", "true"],
            stateDir, bpffsDir, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await hoverd.LaunchAsync();
            return hoverd;
        }
        catch
        {
            await hoverd.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM and start again with the same directories: the datapath stays pinned.</summary>
    public async Task RestartAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: false);
            await running.WaitForExitAsync();
        }
        await LaunchAsync();
    }

    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"GET /{path}: {(int)response.StatusCode} {text}\n{Output}");
    }

    public async Task<IReadOnlyList<string>> ModulesAsync() =>
        [.. (await GetAsync("modules")).AsArray().Select(m => (string)m!["name"]!)];

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }
        process?.Dispose();
        Http.Dispose();
        PinRoot.Remove(bpffsDir);
        if (Directory.Exists(stateDir))
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }

    /// <summary>Pin and state directories a crashed run left behind.</summary>
    public static void SweepLeftovers()
    {
        foreach (var dir in Directory.GetDirectories("/sys/fs/bpf", Path.GetFileName(BpffsPrefix) + "*").Where(VmNamespace.IsLeftover))
        {
            PinRoot.Remove(dir);
        }
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(arguments[0])!,
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"hoverd exited with {process.ExitCode}:\n{Output}");
            }
            try
            {
                using var probe = await Http.GetAsync("health");
                if (probe.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
            }
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>HOVERD_DLL, else the hoverd built in the tests' configuration.</summary>
    private static string Locate()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("HOVERD_DLL"),
            typeof(HoverdProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "HoverdPath")?.Value,
        };
        return candidates.OfType<string>().FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"hoverd.dll not found (looked at {string.Join(", ", candidates)}); build src/Hover in the tests' configuration");
    }
}
