namespace IoVisor.IoModules.Custom.Btf;

/// <summary>One type of a BTF blob, with what formatting a value of it needs.</summary>
/// <param name="SizeOrType">The byte size (int, struct, union, enum, float) or the referenced type id
/// (pointer, typedef, modifiers), as struct btf_type has it.</param>
internal sealed record BtfType(BtfKind Kind, string Name, uint SizeOrType, bool KindFlag)
{
    public const uint IntSigned = 1;
    public const uint IntChar = 2;
    public const uint IntBool = 4;

    /// <summary>BTF_INT_SIGNED | BTF_INT_CHAR | BTF_INT_BOOL.</summary>
    public uint IntEncoding { get; init; }

    public uint IntBitOffset { get; init; }

    public uint IntBits { get; init; }

    public uint ElementType { get; init; }

    public uint ElementCount { get; init; }

    public IReadOnlyList<BtfMember> Members { get; init; } = [];

    public IReadOnlyList<BtfEnumerator> Enumerators { get; init; } = [];

    /// <summary>A typedef or a modifier (const, volatile, restrict, type tag): the value is the referenced type's.</summary>
    public bool IsAlias => Kind is BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag;

    /// <summary>A modifier but not a typedef.</summary>
    public bool IsModifier => IsAlias && Kind != BtfKind.Typedef;
}

/// <summary>A struct or union member; <paramref name="BitfieldSize"/> is 0 unless it is a bitfield.</summary>
internal sealed record BtfMember(string Name, uint Type, uint BitOffset, uint BitfieldSize);

internal sealed record BtfEnumerator(string Name, long Value);
