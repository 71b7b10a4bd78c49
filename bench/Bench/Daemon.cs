using System.Diagnostics;
using IoVisor.Bpf;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;

namespace IoVisor.Bench;

/// <summary>The real hoverd, started for the bench on a private port, state dir and bpffs root.</summary>
internal sealed class Daemon
{
    private readonly Process _process;
    private readonly HttpClient _http;
    private readonly string? _injectionDevice;

    public Daemon(string rnd, Cleanup cleanup)
    {
        string dll = typeof(Daemon).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "HoverdPath").Value!;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("hoverd.dll not built", dll);
        }
        BpffsDir = $"/sys/fs/bpf/iovisor-bench-{rnd}";
        string stateDir = Path.Combine(Path.GetTempPath(), $"iovisor-bench-{rnd}");
        cleanup.Add("daemon pins and state", () =>
        {
            PinRoot.Remove(BpffsDir);
            if (Directory.Exists(stateDir))
            {
                Directory.Delete(stateDir, recursive: true);
            }
        });

        int port = FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--listen", $"http://127.0.0.1:{port}", "--state-dir", stateDir, "--bpffs-dir", BpffsDir })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start hoverd");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Log.Add(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Log.Add(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        cleanup.Add("daemon", Stop);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"hoverd exited {_process.ExitCode}: {string.Join('\n', Log.TakeLast(20))}");
            }
            try
            {
                if (_http.GetAsync(new Uri("/health", UriKind.Relative)).Result.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (AggregateException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("hoverd did not answer /health");
            }
            Thread.Sleep(200);
        }
        _injectionDevice = (string?)Get("/health")["injectionDevice"];
    }

    public string BpffsDir { get; }

    /// <summary>For a client of its own: one that streams (GET /trace) needs no timeout.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    public List<string> Log { get; } = [];

    public JsonObject Post(string path, object body)
    {
        using var resp = _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body).Result;
        string text = resp.Content.ReadAsStringAsync().Result;
        if (!resp.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)resp.StatusCode} {text}");
        }
        return JsonNode.Parse(text) as JsonObject ?? [];
    }

    public JsonNode Put(string path, object body)
    {
        using var resp = _http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body).Result;
        string text = resp.Content.ReadAsStringAsync().Result;
        if (!resp.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)resp.StatusCode} {text}");
        }
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"PUT {path}: empty answer");
    }

    public JsonNode Get(string path)
    {
        using var resp = _http.GetAsync(new Uri(path, UriKind.Relative)).Result;
        string text = resp.Content.ReadAsStringAsync().Result;
        if (!resp.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)resp.StatusCode} {text}");
        }
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"GET {path}: empty answer");
    }

    public void Delete(string path)
    {
        using var resp = _http.DeleteAsync(new Uri(path, UriKind.Relative)).Result;
        if (!resp.IsSuccessStatusCode && resp.StatusCode != HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"DELETE {path}: {(int)resp.StatusCode} {resp.Content.ReadAsStringAsync().Result}");
        }
    }

    private void Stop()
    {
        if (!_process.HasExited)
        {
            // SIGTERM for a graceful shutdown, then kill if it hangs.
            Shell.TryRun("kill", $"-TERM {_process.Id}");
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
                _process.WaitForExit(5_000);
            }
        }
        // The daemon makes its injection veth pair on the first re-injection and leaves it behind.
        if (_injectionDevice is not null)
        {
            Shell.TryRun("ip", $"link del {_injectionDevice}");
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
