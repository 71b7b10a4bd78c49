using System.CommandLine;
using System.CommandLine.Invocation;

namespace IoVisor.HoverCtl;

/// <summary>The standard help, followed on <paramref name="command"/>'s own help by <paramref name="epilog"/>.</summary>
internal sealed class HelpWithEpilog(SynchronousCommandLineAction standard, Command command, string epilog) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = standard.Invoke(parseResult);
        if (parseResult.CommandResult.Command == command)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(epilog);
        }
        return exitCode;
    }
}
