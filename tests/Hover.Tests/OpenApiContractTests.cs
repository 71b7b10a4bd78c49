using System.Diagnostics;

namespace IoVisor.Hover.Tests;

/// <summary>openapi.yaml is the API contract: it must be what the running code serves.</summary>
public sealed class OpenApiContractTests
{
    [Fact]
    public async Task Committed_openapi_yaml_matches_the_running_daemon()
    {
        var fresh = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.yaml");
        try
        {
            var psi = new ProcessStartInfo("bash", ["scripts/write-openapi.sh", RepoPaths.Configuration, fresh])
            {
                WorkingDirectory = RepoPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, "generating the OpenAPI document failed: " + output);

            var committed = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "openapi.yaml"));
            var served = await File.ReadAllTextAsync(fresh);
            Assert.True(committed == served, "openapi.yaml drifted from the code: run `make openapi` and commit the result.");
        }
        finally
        {
            File.Delete(fresh);
        }
    }
}
