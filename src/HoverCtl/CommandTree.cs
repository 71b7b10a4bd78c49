using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace IoVisor.HoverCtl;

/// <summary>The hoverctl command tree and how it runs; Program runs it on the console, tests on buffers.</summary>
public static class CommandTree
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CtlEnvironment environment, CancellationToken ct)
    {
        var parse = Build(environment).Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await environment.Error.WriteLineAsync($"error: {error.Message}");
            }
            await environment.Error.WriteLineAsync($"see '{CommandPath(parse.CommandResult.Command)} --help'");
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = environment.Output,
            Error = environment.Error,
            // Program cancels ct on Ctrl-C itself, so that tests running in-process install no signal handler.
            ProcessTerminationTimeout = null,
            // Failures the commands expect are mapped to exit codes in ApiActions; anything else is a bug and should crash loudly.
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(invocation, ct);
    }

    /// <summary>"hoverctl entries put" for the entries put command.</summary>
    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is not null; s = s.Parents.FirstOrDefault())
        {
            names.Insert(0, s is RootCommand ? "hoverctl" : s.Name);
        }
        return string.Join(' ', names);
    }

    private static RootCommand Build(CtlEnvironment environment)
    {
        var globals = new GlobalOptions(environment.ServerFromEnvironment);
        var actions = new ApiActions(globals, environment);
        var root = new RootCommand("Drive hoverd, the IoVisor daemon, over its REST API.")
        {
            globals.Server,
            globals.Output,
            ModuleCommands.Create(actions),
            PortCommands.Create(actions),
            LinkCommands.Create(actions),
            TableCommands.Create(actions),
            EntryCommands.Create(actions),
            TraceCommand.Create(actions),
        };
        foreach (var command in StatusCommands.Create(actions).Concat(ChainCommands.Create(actions)))
        {
            root.Add(command);
        }
        AddEpilog(root);
        return root;
    }

    /// <summary>Appends the exit codes to the root command's help.</summary>
    private static void AddEpilog(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is SynchronousCommandLineAction standard)
        {
            help.Action = new HelpWithEpilog(standard, root, ExitCodes.Help);
        }
    }
}
