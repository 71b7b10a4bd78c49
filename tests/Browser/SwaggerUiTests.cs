using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace IoVisor.Browser.Tests;

/// <summary>Swagger UI in headless Chromium against a real hoverd: what a user clicks works end to end.</summary>
public sealed class SwaggerUiTests
{
    /// <summary>The Debian package's browser; Playwright's own browser builds cannot be fetched here.</summary>
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_module_created_with_try_it_out_is_listed_by_try_it_out()
    {
        await using var hover = await HoverDaemon.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync(new Uri(hover.BaseAddress, "swagger/index.html").ToString());

            var post = Operation(page, "post", "/modules");
            await TryItOutAsync(post);
            await post.Locator("textarea.body-param__text")
                .FillAsync("""{"name": "br-ui", "type": "bridge", "hook": "tc", "config": {"agingSeconds": 300}}""");
            await post.Locator("button.execute").ClickAsync();
            // Creating a module loads its BPF object: allow it more than Playwright's 5 s default.
            await Expect(post.Locator(".live-responses-table tr.response .response-col_status").First).ToHaveTextAsync("201", new() { Timeout = 30_000 });

            var get = Operation(page, "get", "/modules");
            await TryItOutAsync(get);
            await get.Locator("button.execute").ClickAsync();
            await Expect(get.Locator(".live-responses-table tr.response .response-col_status").First).ToHaveTextAsync("200");
            await Expect(get.Locator(".live-responses-table tr.response .response-col_description")).ToContainTextAsync("\"br-ui\"");
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            var screenshot = Path.Combine(Path.GetTempPath(), $"swagger-ui-failure-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            throw new InvalidOperationException($"Swagger UI did not behave: {e.Message}\nscreenshot: {screenshot}\n--- hoverd ---\n{hover.Output}", e);
        }
    }

    /// <summary>The block of one operation, found by its method and exact path.</summary>
    private static ILocator Operation(IPage page, string method, string path) =>
        page.Locator($".opblock.opblock-{method}").Filter(new() { Has = page.Locator($".opblock-summary-path[data-path='{path}']") });

    private static async Task TryItOutAsync(ILocator operation)
    {
        await operation.Locator(".opblock-summary").First.ClickAsync();
        await operation.Locator("button.try-out__btn").ClickAsync();
    }

    /// <summary>Fails, never skips, when the browser cannot run: the tier exists to be run.</summary>
    private static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} not found: the browser tests need the Debian 'chromium' package (make deps installs it)");
        }
        try
        {
            // --no-sandbox: the tests run as root, where Chromium refuses its sandbox.
            return await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"Chromium ({Chromium}) could not start: {e.Message}", e);
        }
    }
}
