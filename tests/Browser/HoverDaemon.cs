using System.Diagnostics;
using IoVisor.Bpf;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace IoVisor.Browser.Tests;

/// <summary>
/// One hoverd for one test, on a free loopback port with its own state directory and pin root
/// (<c>/sys/fs/bpf/iovisor-browser-*</c>, apart from the integration tests' sweep). Dispose kills it
/// and removes both directories, which frees every program and map it pinned.
/// </summary>
public sealed class HoverDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _stateDir;
    private readonly string _bpffsDir;

    private HoverDaemon(Process process, Uri baseAddress, string stateDir, string bpffsDir)
    {
        _process = process;
        BaseAddress = baseAddress;
        _stateDir = stateDir;
        _bpffsDir = bpffsDir;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the daemon printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<HoverDaemon> StartAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the browser tests run a real hoverd, which needs root (BPF); running as " + Environment.UserName);
        }
        var id = Guid.NewGuid().ToString("N")[..8];
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var stateDir = Path.Combine(Path.GetTempPath(), "iovisor-browser-state-" + id);
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { HoverdDll(), "--listen", baseAddress.GetLeftPart(UriPartial.Authority), "--state-dir", stateDir, "--bpffs-dir", "/sys/fs/bpf/iovisor-browser-" + id },
        };
        // Keep the captured output to the daemon's own logs: per-request ASP.NET lines drown them.
        psi.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var daemon = new HoverDaemon(new Process { StartInfo = psi }, baseAddress, stateDir, "/sys/fs/bpf/iovisor-browser-" + id);
        daemon._process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.Start();
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        try
        {
            await daemon.WaitHealthyAsync();
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
        return daemon;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"hoverd exited with {_process.ExitCode} before answering GET /health:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"hoverd did not answer GET /health within 30 s:\n{Output}");
    }

    /// <summary>HOVERD_DLL if set, else the daemon built in the same configuration as these tests.</summary>
    private static string HoverdDll()
    {
        var path = Environment.GetEnvironmentVariable("HOVERD_DLL") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : typeof(HoverDaemon).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "HoverdPath").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"hoverd.dll not found at {path}; build src/Hover in the tests' configuration");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        PinRoot.Remove(_bpffsDir);
        if (Directory.Exists(_stateDir))
        {
            Directory.Delete(_stateDir, recursive: true);
        }
    }
}
