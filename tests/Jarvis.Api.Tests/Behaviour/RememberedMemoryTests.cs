using System.Net;
using Jarvis.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>With a small JARVIS_MAX_REMEMBERED_BYTES, large results and early cancels of long ids stream in and the
/// memory kept for replay stays within it (as /metrics reports it), while the newest results still replay.</summary>
public sealed class RememberedMemoryTests(ITestOutputHelper output)
{
    private const long Budget = 4 * 1024 * 1024;

    [Fact]
    public async Task Large_results_and_long_id_cancels_stay_within_the_byte_budget()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_REMEMBERED_BYTES", Budget.ToString()));
        var text = new string('r', 200_000); // 60 of these results are three times the budget
        var ids = Enumerable.Range(0, 60).Select(_ => ExecuteRequests.NewId("big")).ToList();
        foreach (var id in ids)
            await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo(text, id)), "succeeded");
        var afterResults = await MetricsText.ScrapeAsync(server.Client);

        foreach (var i in Enumerable.Range(0, 300))
        {
            using var cancel = await server.Client.PostAsync(ExecuteRequests.CancelPath($"{i}-{new string('k', 60_000)}"), null);
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        }
        var afterCancels = await MetricsText.ScrapeAsync(server.Client);

        var resultBytes = afterResults.Value("jarvis_remembered_bytes");
        var cancelBytes = afterCancels.Value("jarvis_remembered_bytes");
        output.WriteLine($"after 60 × 200 kB results: {afterResults.Value("jarvis_remembered_runs")} runs, {resultBytes} bytes; " +
                         $"after 300 cancels of 60 kB ids: {afterCancels.Value("jarvis_remembered_runs")} runs, {cancelBytes} bytes");
        Assert.InRange(resultBytes!.Value, Budget / 2, Budget);
        Assert.InRange(afterResults.Value("jarvis_remembered_runs")!.Value, 1, 59);
        Assert.InRange(cancelBytes!.Value, 1, Budget);
        // the newest result is still replayed (same body), the oldest runs again
        var replay = ExecuteRequests.Echo(text, ids[^1]);
        Assert.Equal(await ResultBody(server, replay), await ResultBody(server, replay));
    }

    private static async Task<string> ResultBody(ExecutorServer server, string request)
    {
        using var response = await server.Client.ExecuteAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
