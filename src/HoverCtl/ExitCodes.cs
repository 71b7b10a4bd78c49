namespace IoVisor.HoverCtl;

/// <summary>hoverctl's exit codes; scripts branch on them, so they are part of its interface (see README).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The daemon answered 4xx: the request was wrong for the current state.</summary>
    public const int Rejected = 1;

    /// <summary>The command line or an input file was wrong; nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>No answer, a 5xx, or an answer that is not the API's.</summary>
    public const int Unavailable = 3;

    /// <summary>Ctrl-C during a command other than trace (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public const string Help = """
        Exit codes:
          0  success
          1  the API rejected the request (4xx); the problem is printed to stderr
          2  usage error: bad arguments or an invalid input file; nothing was sent
          3  cannot reach the server, or it failed (5xx)

        Environment:
          HOVER_URL  default for --server
        """;
}
