using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IoVisor.IoModules.Custom;

/// <summary>The custom modules' objects, content-addressed: &lt;sha256 of the source or object&gt;.&lt;hook&gt;.o
/// under <see cref="CustomModuleOptions.ObjectStoreDir"/>. A file is written whole (temporary file, then
/// rename) and only after it passed <see cref="ObjectCheck"/>, so one that is there is ready to load: a
/// restart, or a second module with the same program, never compiles again.</summary>
internal sealed partial class ObjectStore(IOptions<CustomModuleOptions> options, ClangCompiler compiler, ILogger logger)
{
    private const string Extension = ".o";

    private string Dir => options.Value.ObjectStoreDir;

    public string PathOf(CustomProgram program, HookKind hook) => Path.Combine(Dir, $"{program.Digest}.{hook.ObjectSuffix()}{Extension}");

    public async Task PrepareAsync(CustomProgram program, HookKind hook, CancellationToken ct)
    {
        var path = PathOf(program, hook);
        if (File.Exists(path))
        {
            return;
        }
        var elf = program.Form == ProgramForm.Source ? await compiler.CompileAsync(program.SourceText, hook, ct) : program.Content;
        ObjectCheck.Require(elf, hook, program.Field);
        Directory.CreateDirectory(Dir);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await file.WriteAsync(elf, ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Deletes the objects (and temporary files a crash left) that no path in <paramref name="inUse"/>
    /// names; files the store did not name are left alone.</summary>
    public void RemoveAllBut(IReadOnlySet<string> inUse)
    {
        if (!Directory.Exists(Dir))
        {
            return;
        }
        var kept = inUse.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Dir))
        {
            if (StoredName().IsMatch(Path.GetFileName(file)) && !kept.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
                LogRemoved(logger, Path.GetFileName(file));
            }
        }
    }

    /// <summary>&lt;sha256&gt;.&lt;hook&gt;.o, or a temporary file on its way there.</summary>
    [GeneratedRegex(@"^[0-9a-f]{64}\.(tc|xdp)\.o(\.[0-9a-f]{32}\.tmp)?$")]
    private static partial Regex StoredName();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed unused custom module object {File}")]
    private static partial void LogRemoved(ILogger logger, string file);
}
