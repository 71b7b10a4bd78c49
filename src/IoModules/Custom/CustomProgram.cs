using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IoVisor.IoModules.Custom;

/// <summary>How a custom module's program was given.</summary>
internal enum ProgramForm
{
    /// <summary>BPF C, compiled on the server against the chain ABI headers.</summary>
    Source,

    /// <summary>A compiled ELF object.</summary>
    Object,
}

/// <summary>A custom module's config: its program as BPF C source (<c>{"source": "..."}</c>) or as a
/// compiled ELF object (<c>{"object": "&lt;base64&gt;"}</c>), exactly one, within the size limits.</summary>
internal sealed class CustomProgram
{
    private const string SourceField = "source";
    private const string ObjectField = "object";
    private static readonly byte[] ElfMagic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    private CustomProgram(ProgramForm form, byte[] content)
    {
        Form = form;
        Content = content;
        Digest = Convert.ToHexStringLower(SHA256.HashData(content));
    }

    public ProgramForm Form { get; }

    /// <summary>The source as UTF-8, or the object's bytes.</summary>
    public byte[] Content { get; }

    /// <summary>SHA-256 of <see cref="Content"/>, hex: the name of its objects in the store.</summary>
    public string Digest { get; }

    /// <summary>The config field errors about this program are reported under.</summary>
    public string Field => Form == ProgramForm.Source ? $"config.{SourceField}" : $"config.{ObjectField}";

    public string SourceText => Encoding.UTF8.GetString(Content);

    public static CustomProgram Parse(JsonObject? config, CustomModuleOptions limits)
    {
        var errors = new ConfigErrors("config");
        var reader = new ConfigReader(config, errors);
        reader.RejectUnknown(SourceField, ObjectField);
        var source = reader.Text(SourceField, null);
        var obj = reader.Text(ObjectField, null);
        errors.ThrowIfAny();
        var program = (source, obj) switch
        {
            (not null, not null) => Fail(errors, ObjectField, "give either source or object, not both"),
            (null, null) => Fail(errors, SourceField, "a custom module needs its program: source (BPF C) or object (base64 ELF)"),
            (not null, _) => FromSource(source, limits, errors),
            _ => FromObject(obj!, limits, errors),
        };
        errors.ThrowIfAny();
        return program!;
    }

    public JsonObject ToJson() => Form == ProgramForm.Source
        ? new JsonObject { [SourceField] = SourceText }
        : new JsonObject { [ObjectField] = Convert.ToBase64String(Content) };

    private static CustomProgram? FromSource(string source, CustomModuleOptions limits, ConfigErrors errors)
    {
        var bytes = Encoding.UTF8.GetBytes(source);
        if (string.IsNullOrWhiteSpace(source))
        {
            return Fail(errors, SourceField, "is empty");
        }
        if (bytes.Length > limits.MaxSourceBytes)
        {
            return Fail(errors, SourceField, $"is {bytes.Length} bytes; at most {limits.MaxSourceBytes} are accepted");
        }
        return new CustomProgram(ProgramForm.Source, bytes);
    }

    private static CustomProgram? FromObject(string base64, CustomModuleOptions limits, ConfigErrors errors)
    {
        // Checked before decoding, so an oversized upload costs no allocation of its size.
        if ((long)base64.Length * 3 / 4 > limits.MaxObjectBytes + 3L)
        {
            return Fail(errors, ObjectField, $"is larger than {limits.MaxObjectBytes} bytes");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return Fail(errors, ObjectField, "must be the object file in base64");
        }
        if (bytes.Length > limits.MaxObjectBytes)
        {
            return Fail(errors, ObjectField, $"is {bytes.Length} bytes; at most {limits.MaxObjectBytes} are accepted");
        }
        if (!bytes.AsSpan().StartsWith(ElfMagic))
        {
            return Fail(errors, ObjectField, "is not an ELF object (build it with clang -target bpf)");
        }
        return new CustomProgram(ProgramForm.Object, bytes);
    }

    private static CustomProgram? Fail(ConfigErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }
}
