namespace IoVisor.Bpf;

/// <summary>BPF_ANY / BPF_NOEXIST / BPF_EXIST for map updates.</summary>
public enum BpfUpdateFlags : ulong
{
    /// <summary>Create or replace.</summary>
    Any = 0,

    /// <summary>Create only; fails with EEXIST when the key exists.</summary>
    NoExist = 1,

    /// <summary>Replace only; fails with ENOENT when the key is missing.</summary>
    Exist = 2,
}
