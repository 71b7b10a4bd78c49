using System.CommandLine;
using System.CommandLine.Parsing;

namespace IoVisor.HoverCtl;

/// <summary>Options every command takes: where the daemon is and how to print.</summary>
internal sealed class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:5000";
    public const string JsonFormat = "json";
    private const string TableFormat = "table";

    public GlobalOptions(string? serverFromEnvironment)
    {
        Server = new Option<Uri>("--server")
        {
            Description = $"URL of hoverd; ${CtlEnvironment.ServerVariable} sets the default",
            HelpName = "url",
            Recursive = true,
            CustomParser = result => ParseServer(result, result.Tokens[0].Value, "--server"),
            DefaultValueFactory = result => serverFromEnvironment is null
                ? new Uri(DefaultServer)
                : ParseServer(result, serverFromEnvironment, CtlEnvironment.ServerVariable),
        };
        Output = new Option<string>("--output", "-o")
        {
            Description = "Output format",
            Recursive = true,
            DefaultValueFactory = _ => TableFormat,
        };
        Output.AcceptOnlyFromAmong(TableFormat, JsonFormat);
    }

    public Option<Uri> Server { get; }

    public Option<string> Output { get; }

    private static Uri ParseServer(ArgumentResult result, string text, string source)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }
        result.AddError($"{source}: '{text}' is not an http:// or https:// URL");
        return null!;
    }
}
