using System.Globalization;

namespace IoVisor.IoModules.Custom;

/// <summary>The account clang runs as when hoverd is root (<see cref="CustomModuleOptions.CompilerUser"/>):
/// a source may #include any file the compiler can open and have it echoed in diagnostics, so the compiler
/// must not be able to open what only root may read.</summary>
internal sealed record CompilerUser(string Name, uint Uid, uint Gid)
{
    /// <summary>The user from /etc/passwd; null when hoverd is not root or no user is configured.</summary>
    public static CompilerUser? Resolve(string name, string includeDir)
    {
        if (name.Length == 0 || !Environment.IsPrivilegedProcess)
        {
            return null;
        }
        var user = File.ReadLines("/etc/passwd")
            .Select(line => line.Split(':'))
            .Where(f => f.Length >= 4 && f[0] == name)
            .Select(f => new CompilerUser(name, uint.Parse(f[2], CultureInfo.InvariantCulture), uint.Parse(f[3], CultureInfo.InvariantCulture)))
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"the compiler user '{name}' (Hover:Custom:CompilerUser) is not in /etc/passwd");
        if (!OthersCanRead(includeDir))
        {
            throw new InvalidOperationException(
                $"clang runs as '{name}', who cannot read the chain ABI headers in {includeDir}: make that folder and its parents " +
                "readable by others, or set Hover:Custom:CompilerUser to \"\" to compile as hoverd's own user");
        }
        return user;
    }

    /// <summary>setpriv's arguments that run the rest of the command line as this user, with no groups and
    /// no way back to more privileges.</summary>
    public IEnumerable<string> SetprivArguments() =>
    [
        $"--reuid={Uid.ToString(CultureInfo.InvariantCulture)}", $"--regid={Gid.ToString(CultureInfo.InvariantCulture)}",
        "--clear-groups", "--no-new-privs", "--",
    ];

    /// <summary>Every folder up to the root lets others through, and the folder itself lets them list it.</summary>
    private static bool OthersCanRead(string dir)
    {
        var full = new DirectoryInfo(Path.GetFullPath(dir));
        if (!full.Exists || (full.UnixFileMode & UnixFileMode.OtherRead) == 0)
        {
            return false;
        }
        for (var d = full; d is not null; d = d.Parent)
        {
            if ((d.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }
        return true;
    }
}
