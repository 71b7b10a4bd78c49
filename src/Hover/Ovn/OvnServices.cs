using IoVisor.OvnBridge.Service;

namespace IoVisor.Hover.Ovn;

public static class OvnServices
{
    /// <summary>The OVN bridge, configured by the Ovn section (--ovn-nb, --ovs-db); idle without a
    /// northbound database.</summary>
    public static WebApplicationBuilder AddOvnBridge(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OvnBridgeOptions>()
            .Bind(builder.Configuration.GetSection("Ovn"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IGraphTarget, OvnChainTarget>();
        builder.Services.AddSingleton<OvnBridgeService>();
        builder.Services.AddHostedService<OvnBridgeHost>();
        builder.Services.ConfigureSwaggerGen(o => o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "IoVisor.OvnBridge.xml")));
        return builder;
    }
}
