using System.CommandLine;
using IoVisor.Hover.Client;

namespace IoVisor.HoverCtl;

/// <summary>What a command's body works with: the client, its parsed arguments, the printer and stdin.</summary>
internal sealed record ApiCall(IHoverApi Api, ParseResult Parse, Printer Out, TextReader Input, CancellationToken Ct)
{
    public T Value<T>(Argument<T> argument) => Parse.GetRequiredValue(argument);

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);
}
