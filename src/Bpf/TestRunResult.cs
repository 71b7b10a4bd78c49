namespace IoVisor.Bpf;

/// <summary>
/// Output of one BPF_PROG_TEST_RUN: the program's return value (the verdict), the mean
/// duration per repetition, and the packet and context as the program left them.
/// </summary>
public sealed record TestRunResult(uint ReturnValue, uint DurationNs, byte[] DataOut, byte[] ContextOut);
