using IoVisor.OvnBridge.Service;

namespace IoVisor.Hover.Api;

public static class OvnApi
{
    public static IEndpointRouteBuilder MapOvnApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ovn/status", (OvnBridgeService bridge) => bridge.Status)
            .WithTags("OVN")
            .WithSummary("The OVN bridge: both database connections, the last state applied, counts, and every row left out with the reason");
        return app;
    }
}
