namespace IoVisor.Datapath.Tests;

/// <summary>Where the datapath objects built with the tests are, and what loading them needs.</summary>
public static class DatapathObjects
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "bpf", name);

    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "The datapath tests load BPF programs, pin maps on bpffs and use BPF_PROG_TEST_RUN: run them as root.");
        }
    }
}
