using System.Diagnostics;
using System.Text;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>A command left running while the test does other things; killed on dispose if still alive.</summary>
public sealed class BackgroundCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _commandLine;

    private BackgroundCommand(Process process, string commandLine)
    {
        _process = process;
        _commandLine = commandLine;
    }

    public static BackgroundCommand Start(string file, params string[] args)
    {
        var psi = Shell.CreateStartInfo(file, args);
        var process = new Process { StartInfo = psi };
        var command = new BackgroundCommand(process, Shell.CommandLine(psi));
        process.OutputDataReceived += (_, e) => command.Append(command._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => command.Append(command._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return command;
    }

    public bool HasExited => _process.HasExited;

    public async Task<CommandResult> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"`{_commandLine}` still running after {timeout}");
        }
        // The parameterless wait drains the asynchronous output readers.
        await _process.WaitForExitAsync();
        lock (_stdout)
        {
            return new CommandResult(_commandLine, _process.ExitCode, _stdout.ToString(), _stderr.ToString());
        }
    }

    private void Append(StringBuilder sink, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_stdout)
        {
            sink.AppendLine(line);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
