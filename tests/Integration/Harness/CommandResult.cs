namespace IoVisor.Integration.Tests.Harness;

/// <summary>The outcome of one finished command: what ran, its exit code and its output.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() =>
        $"`{CommandLine}` exited with {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public CommandResult EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException(Describe());
}
