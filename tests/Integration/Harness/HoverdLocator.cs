using System.Reflection;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>
/// Finds the <c>hoverd.dll</c> built in the same configuration as the tests:
/// <c>HOVERD_DLL</c> if set, else the path the project file recorded at build time, else
/// <c>&lt;repo&gt;/src/Hover/bin/&lt;Configuration&gt;/net10.0/hoverd.dll</c> found from the test assembly's folder.
/// </summary>
public static class HoverdLocator
{
    public static string Locate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("HOVERD_DLL") is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
        }
        var recorded = typeof(HoverdLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "HoverdPath")?.Value;
        if (recorded is not null)
        {
            candidates.Add(recorded);
        }
        candidates.AddRange(FromTestOutputFolder());

        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        throw new FileNotFoundException(
            "hoverd.dll not found; build src/Hover in the same configuration as the tests. Looked at:\n  " +
            string.Join("\n  ", candidates));
    }

    // <repo>/tests/Integration/bin/<Configuration>/<tfm>/ → <repo>/src/Hover/bin/<Configuration>/<tfm>/hoverd.dll
    private static IEnumerable<string> FromTestOutputFolder()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var tfm = output.Name;
        var configuration = output.Parent?.Name;
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Hover")) && configuration is not null)
            {
                yield return Path.Combine(dir.FullName, "src", "Hover", "bin", configuration, tfm, "hoverd.dll");
                yield break;
            }
        }
    }
}
