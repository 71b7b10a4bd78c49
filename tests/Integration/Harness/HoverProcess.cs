using System.Diagnostics;
using IoVisor.Bpf;
using System.Globalization;
using System.Net;
using System.Text;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// One hoverd, run as <c>dotnet hoverd.dll --listen http://127.0.0.1:PORT --state-dir DIR --bpffs-dir /sys/fs/bpf/iovisor-test-XXXX</c>.
/// Restarts reuse the same arguments and directories. Dispose kills it if still running and then removes
/// what it left in the kernel and on disk without starting anything: the pin directory (which detaches and frees
/// every pinned program, map and link) and the state directory.
/// </summary>
public sealed class HoverProcess : IAsyncDisposable
{
    public const string BpffsPrefix = "/sys/fs/bpf/iovisor-test-";
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(30);

    private readonly string _hoverdDll;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private HttpClient? _http;
    private int _starts;

    private HoverProcess(string hoverdDll, int port, string stateDir, string bpffsDir)
    {
        _hoverdDll = hoverdDll;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        StateDir = stateDir;
        BpffsDir = bpffsDir;
    }

    public Uri BaseAddress { get; }

    public string StateDir { get; }

    public string BpffsDir { get; }

    /// <summary>A client for the running daemon; a new one after each (re)start.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("hoverd is not running");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the daemon wrote to stdout and stderr, across restarts.</summary>
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

    public static async Task<HoverProcess> StartAsync()
    {
        var hex = RandomHex.Next(8);
        var hover = new HoverProcess(
            HoverdLocator.Locate(),
            FreeTcpPort.Next(),
            Path.Combine(Path.GetTempPath(), "iovisor-test-state-" + hex),
            BpffsPrefix + hex);
        Directory.CreateDirectory(hover.StateDir);
        try
        {
            await hover.LaunchAsync();
        }
        catch
        {
            await hover.DisposeAsync();
            throw;
        }
        return hover;
    }

    /// <summary>SIGKILL: the daemon gets no chance to clean anything up.</summary>
    public void KillHard()
    {
        var process = _process ?? throw new InvalidOperationException("hoverd was never started");
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        DropClient();
    }

    /// <summary>SIGTERM, then waits for the exit; returns the exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan? timeout = null)
    {
        var process = _process ?? throw new InvalidOperationException("hoverd was never started");
        if (!process.HasExited)
        {
            PosixSignal.Send(process.Id, PosixSignal.SigTerm);
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"hoverd did not exit within {timeout ?? TimeSpan.FromSeconds(15)} of SIGTERM.\n{Output}");
            }
        }
        await process.WaitForExitAsync();
        DropClient();
        return process.ExitCode;
    }

    /// <summary>Starts the daemon again with the same arguments and directories (stops it gracefully first if it runs).</summary>
    public async Task RestartAsync()
    {
        if (IsRunning)
        {
            await StopGracefullyAsync();
        }
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var psi = Shell.CreateStartInfo(dotnet,
        [
            _hoverdDll,
            "--listen", BaseAddress.GetLeftPart(UriPartial.Authority),
            "--state-dir", StateDir,
            "--bpffs-dir", BpffsDir,
        ]);
        psi.WorkingDirectory = Path.GetDirectoryName(_hoverdDll)!;
        // Keep the captured output to the daemon's own logs: per-request ASP.NET lines drown them.
        psi.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var run = ++_starts;
        AppendOutput($"=== start #{run}: {Shell.CommandLine(psi)}");

        _process?.Dispose();
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => AppendOutput(e.Data);
        process.ErrorDataReceived += (_, e) => AppendOutput(e.Data is null ? null : "[stderr] " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        await WaitHealthyAsync(process);
    }

    private async Task WaitHealthyAsync(Process process)
    {
        var deadline = Stopwatch.StartNew();
        string lastProblem = "no answer yet";
        while (deadline.Elapsed < HealthTimeout)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"hoverd exited with {process.ExitCode} before answering GET /health.\n{Output}");
            }
            try
            {
                using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
                using var response = await probe.GetAsync("health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                lastProblem = $"GET /health → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                lastProblem = e.Message;
            }
            catch (TaskCanceledException e)
            {
                lastProblem = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException(
            $"hoverd did not answer GET /health with 200 within {HealthTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s " +
            $"(last: {lastProblem}).\n{Output}");
    }

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private void DropClient()
    {
        _http?.Dispose();
        _http = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
        DropClient();
        PinRoot.Remove(BpffsDir);
        if (Directory.Exists(StateDir))
        {
            Directory.Delete(StateDir, recursive: true);
        }
    }

    /// <summary>Removes pin and state directories left behind by a crashed run (old enough not to be another run's).</summary>
    public static void SweepLeftovers()
    {
        var bpffsParent = Path.GetDirectoryName(BpffsPrefix)!;
        if (Directory.Exists(bpffsParent))
        {
            foreach (var dir in Directory.GetDirectories(bpffsParent, Path.GetFileName(BpffsPrefix) + "*").Where(NetworkNamespace.IsLeftover))
            {
                PinRoot.Remove(dir);
            }
        }
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "iovisor-test-state-*").Where(NetworkNamespace.IsLeftover))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
