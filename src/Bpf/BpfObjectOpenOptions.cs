namespace IoVisor.Bpf;

public sealed class BpfObjectOpenOptions
{
    private int _verifierLogSize = 1 << 20;

    /// <summary>
    /// bpffs directory for maps declared with <c>pinning = LIBBPF_PIN_BY_NAME</c>: libbpf reuses
    /// an existing pin there or pins after creation. Null means libbpf's default, /sys/fs/bpf.
    /// </summary>
    public string? PinRoot { get; set; }

    /// <summary>Overrides the object name (the file name, or "&lt;addr&gt;-&lt;size&gt;" for memory).</summary>
    public string? ObjectName { get; set; }

    /// <summary>
    /// Initial size of each program's verifier log buffer. A log that does not fit makes the
    /// load fail with ENOSPC; the load is then retried with 4x the size, up to 16 MiB.
    /// </summary>
    public int VerifierLogSize
    {
        get => _verifierLogSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _verifierLogSize = value;
        }
    }
}
