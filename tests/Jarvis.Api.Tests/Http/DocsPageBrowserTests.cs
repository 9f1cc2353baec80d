using Jarvis.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Jarvis.Api.Tests.Http;

/// <summary>GET /docs in a real headless Chromium: the page renders the ARP operations from /openapi.json, using only
/// files the executor serves (no CDN), so it works on a machine without network access.</summary>
public sealed class DocsPageBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task The_docs_page_renders_the_ARP_operations_and_the_page_asks_nothing_of_any_other_host()
    {
        await using var server = await ExecutorServer.StartAsync();
        var screenshot = Path.Combine(AppContext.BaseDirectory, "browser", "docs-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        var visit = await HeadlessChromium.VisitAsync(new Uri(server.BaseAddress, "/docs"), screenshot, TimeSpan.FromSeconds(20));
        output.WriteLine($"screenshot: {visit.Screenshot}");

        // Swagger UI gives each rendered operation the id operations-<tag>-<operationId>.
        foreach (var operation in new[] { "health-health", "version-version", "atomic_node_runs-execute_atomic_node_run", "atomic_node_runs-cancel_atomic_node_run" })
            Assert.True(visit.Dom.Contains($"id=\"operations-{operation}\"", StringComparison.Ordinal),
                $"the page did not render {operation}; rendered DOM starts: {visit.Dom[..Math.Min(2000, visit.Dom.Length)]}");

        var executor = server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var pageRequests = visit.Requests.Where(r => r.TopFrameSite == $"{server.BaseAddress.Scheme}://{server.BaseAddress.Host}").ToList();
        Assert.Contains(pageRequests, r => r.Url == $"{executor}/openapi.json");
        Assert.Contains(pageRequests, r => r.Url.StartsWith($"{executor}/docs/", StringComparison.Ordinal) && r.Url.EndsWith(".js", StringComparison.Ordinal));
        var elsewhere = pageRequests.Where(r => !r.Url.StartsWith(executor + "/", StringComparison.Ordinal)).Select(r => r.Url).ToList();
        Assert.True(elsewhere.Count == 0, $"the page asked other hosts: {string.Join(", ", elsewhere)}");

        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000 && png.AsSpan(1, 3).SequenceEqual("PNG"u8), $"no usable screenshot at {screenshot} ({png.Length} bytes)");
    }
}
