namespace IoVisor.Hover.Tests;

/// <summary>Finds the repository root and the build configuration this test run uses.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>bin/&lt;Configuration&gt;/net10.0 of this test assembly.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IoVisor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("IoVisor.sln not found above " + AppContext.BaseDirectory);
    }
}
