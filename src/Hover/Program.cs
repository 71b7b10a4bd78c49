using IoVisor.Hover;
using IoVisor.Hover.Api;
using IoVisor.Hover.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, HoverCommandLine.Switches);
builder.AddHover();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwagger();
app.UseSwaggerUI();
app.MapModulesApi().MapPortsApi().MapLinksApi().MapTablesApi().MapSystemApi();
app.Run();
