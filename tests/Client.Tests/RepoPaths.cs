namespace IoVisor.Client.Tests;

/// <summary>Finds files of the repository the tests were built from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "IoVisor.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("IoVisor.sln not found above " + AppContext.BaseDirectory);
    }
}
