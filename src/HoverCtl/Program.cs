using IoVisor.Hover.Client;
using IoVisor.HoverCtl;

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the running command finish its way (trace exits 0 on Ctrl-C) instead of being killed mid-write.
    e.Cancel = true;
    interrupted.Cancel();
};
var environment = new CtlEnvironment(
    Console.In, Console.Out, Console.Error, HoverClient.Create, Environment.GetEnvironmentVariable(CtlEnvironment.ServerVariable));
return await CommandTree.RunAsync(args, environment, interrupted.Token);
