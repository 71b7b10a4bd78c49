using IoVisor.Bpf;
using IoVisor.Hover.Api;
using IoVisor.Hover.Graph;
using IoVisor.Hover.Kernel;
using IoVisor.Hover.State;
using IoVisor.Hover.Trace;
using IoVisor.IoModules;
using IoVisor.IoModules.Bridge;
using IoVisor.IoModules.L4lb;
using IoVisor.IoModules.Router;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IoVisor.Hover.Hosting;

public static class HoverServices
{
    public static WebApplicationBuilder AddHover(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HoverOptions>()
            .Bind(builder.Configuration.GetSection("Hover"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var listen = builder.Configuration["Hover:Listen"] ?? new HoverOptions().Listen;
        builder.WebHost.UseUrls(listen);

        builder.Services.AddSingleton<IModuleType, BridgeModuleType>();
        builder.Services.AddSingleton<IModuleType, RouterModuleType>();
        builder.Services.AddSingleton<IModuleType, L4lbModuleType>();
        builder.Services.AddSingleton<IModuleType, IoVisor.IoModules.Nat.NatModuleType>();
        builder.Services.AddSingleton<IModuleType, IoVisor.IoModules.Gtp.GtpModuleType>();
        builder.Services.AddSingleton<IModuleType, IoVisor.IoModules.Firewall.FirewallModuleType>();
        builder.Services.AddSingleton<IModuleType, IoVisor.IoModules.Custom.CustomModuleType>();
        builder.Services.AddOptions<IoVisor.IoModules.Custom.CustomModuleOptions>()
            .Bind(builder.Configuration.GetSection("Hover:Custom"))
            .Configure<IOptions<HoverOptions>>((custom, hover) =>
            {
                // Next to graph.json by default, so that the state directory alone restores every custom module.
                if (custom.ObjectStoreDir.Length == 0)
                {
                    custom.ObjectStoreDir = Path.Combine(hover.Value.StateDir, "objects");
                }
                if (custom.IncludeDir.Length == 0)
                {
                    custom.IncludeDir = Path.Combine(hover.Value.ObjectsDir, "include");
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ModuleTypeRegistry>();
        builder.Services.AddSingleton<PatchPanel>();
        builder.Services.AddSingleton<ModuleLoader>();
        builder.Services.AddSingleton<StateStore>();
        builder.Services.AddSingleton<GraphService>();
        builder.Services.AddSingleton<InjectionDevice>();
        builder.Services.AddSingleton<PacketTracer>();
        builder.Services.AddHostedService<DatapathHost>();
        builder.Services.AddHostedService<SlowPathHost>();
        builder.Services.AddHostedService<LibBpfLogRoute>();

        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.AllowTrailingCommas = false);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new() { Title = "Hover", Version = "v1", Description = "Inject, configure and chain eBPF network functions." });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "hoverd.xml"));
        });
        return builder;
    }

    /// <summary>Routes libbpf's own messages into the daemon's log.</summary>
    private sealed class LibBpfLogRoute(ILogger<LibBpfLogRoute> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LibBpfLog.Route(logger);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

}
