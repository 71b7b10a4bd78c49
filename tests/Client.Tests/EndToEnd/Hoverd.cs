using System.Diagnostics;
using IoVisor.Bpf;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace IoVisor.Client.Tests.EndToEnd;

/// <summary>
/// A real hoverd for the end-to-end tests, on its own loopback port, state directory and bpffs pin directory;
/// disposing kills it and removes both directories (removing the pins detaches and frees what it loaded).
/// Needs root, as hoverd does.
/// </summary>
public sealed class Hoverd : IAsyncDisposable
{
    private const string PinPrefix = "/sys/fs/bpf/iovisor-ctl-";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Hoverd(Process process, Uri baseAddress, string stateDir, string pinDir)
    {
        _process = process;
        BaseAddress = baseAddress;
        StateDir = stateDir;
        PinDir = pinDir;
    }

    public Uri BaseAddress { get; }

    public string StateDir { get; }

    public string PinDir { get; }

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

    public static async Task<Hoverd> StartAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var dll = Locate();
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var stateDir = Directory.CreateTempSubdirectory("iovisor-ctl-state-").FullName;
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "--listen", baseAddress.ToString().TrimEnd('/'), "--state-dir", stateDir, "--bpffs-dir", PinPrefix + id })
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var hoverd = new Hoverd(new Process { StartInfo = psi }, baseAddress, stateDir, PinPrefix + id);
        hoverd._process.OutputDataReceived += (_, e) => hoverd.Append(e.Data);
        hoverd._process.ErrorDataReceived += (_, e) => hoverd.Append(e.Data);
        try
        {
            hoverd._process.Start();
            hoverd._process.BeginOutputReadLine();
            hoverd._process.BeginErrorReadLine();
            await hoverd.WaitHealthyAsync();
        }
        catch
        {
            await hoverd.DisposeAsync();
            throw;
        }
        return hoverd;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
        PinRoot.Remove(PinDir);
        if (Directory.Exists(StateDir))
        {
            Directory.Delete(StateDir, recursive: true);
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        var last = "no answer";
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"hoverd exited with {_process.ExitCode} before it was healthy (it needs root and bpffs):\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"GET /health → {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"hoverd not healthy within {StartTimeout} ({last}):\n{Output}");
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

    /// <summary>HOVERD_DLL, else the hoverd.dll the project file recorded for this configuration.</summary>
    private static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("HOVERD_DLL") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : typeof(Hoverd).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HoverdPath").Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException($"hoverd.dll not found at {path}; build src/Hover in the same configuration");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
