using System.Diagnostics;
using System.Net;
using Jarvis.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>POST /v1/atomic-node-runs/{id}:cancel: running, unknown, finished and not-yet-executed runs.</summary>
public sealed class CancelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cancel_of_a_running_30s_sleep_answers_canceled_well_before_30s()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        var execute = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, id));
        await server.Client.WaitForRunningAsync(1);

        var clock = Stopwatch.StartNew();
        var cancel = await server.Client.CancelAsync(id);
        var response = await execute.Within(Bounded, "canceled execute");
        var latency = clock.Elapsed;
        output.WriteLine($"cancel to canceled answer: {latency.TotalMilliseconds:0.0} ms");

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        var result = await HttpAssert.ResultAsync(response, "canceled");
        Assert.Equal(id, result["node_run_id"]!.GetValue<string>());
        Assert.True(latency < TimeSpan.FromSeconds(5), $"the canceled answer took {latency.TotalSeconds:0.0} s");
        await server.Client.WaitForRunningAsync(0);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_id_is_204_without_body()
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.CancelAsync(ExecuteRequests.NewId("never-seen"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Cancel_of_a_finished_run_is_204_and_leaves_its_result()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        var request = ExecuteRequests.Echo("done", id);
        var first = await (await server.Client.ExecuteAsync(request)).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.CancelAsync(id)).StatusCode);

        var replay = await HttpAssert.JsonAsync(await server.Client.ExecuteAsync(request), HttpStatusCode.OK);
        Assert.Contains("\"succeeded\"", replay);
        Assert.Equal(first, replay);
    }

    [Fact]
    public async Task Cancel_before_execute_makes_the_execute_answer_canceled()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.CancelAsync(id)).StatusCode);
        var response = await server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, id)).Within(Bounded, "pre-canceled execute");

        var result = await HttpAssert.ResultAsync(response, "canceled");
        Assert.Equal("canceled", result["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("run/1/node/4")]
    [InlineData("with space/and:colon é")]
    [InlineData("percent%2Fliteral+plus")]
    [InlineData("a:cancel")]
    public async Task Cancel_reaches_a_running_run_whatever_characters_its_id_holds(string id)
    {
        await using var server = await ExecutorServer.StartAsync();
        var execute = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, id));
        await server.Client.WaitForRunningAsync(1);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.CancelAsync(id)).StatusCode);

        var result = await HttpAssert.ResultAsync(await execute.Within(Bounded, "canceled execute"), "canceled");
        Assert.Equal(id, result["node_run_id"]!.GetValue<string>());
    }
}
