using IoVisor.Hover;
using IoVisor.Hover.Api;
using IoVisor.Hover.Hosting;
using IoVisor.Hover.Metrics;
using IoVisor.Hover.Ovn;
using IoVisor.Hover.Trace;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, HoverCommandLine.Switches);
builder.AddHover();
builder.AddOvnBridge();
builder.Services.AddHoverMetrics();

var app = builder.Build();
app.UseApiMetrics();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwagger();
app.UseSwaggerUI();
app.MapModulesApi().MapPortsApi().MapLinksApi().MapTablesApi().MapChainsApi().MapSystemApi().MapMetricsApi().MapTraceApi().MapOvnApi();
app.Run();
