using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Startup;

/// <summary>SIGTERM on the real executable: stop admitting, let running handlers finish within
/// JARVIS_SHUTDOWN_GRACE_SECS, cancel the rest and answer them, then exit 0.</summary>
public sealed class ShutdownDrainTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    private static Task<ServingProcess> StartAsync(double graceSeconds) => ServingProcess.StartAsync(
        new Dictionary<string, string> { ["JARVIS_SHUTDOWN_GRACE_SECS"] = graceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task Run_still_going_when_the_grace_ends_is_answered_canceled_and_the_process_exits_0()
    {
        await using var executor = await StartAsync(graceSeconds: 1);
        var (process, client) = (executor.Process, executor.Client);
        var execute = client.ExecuteAsync(ExecuteRequests.Sleep(30));
        await client.WaitForRunningAsync(1);

        process.Terminate();

        var result = await HttpAssert.ResultAsync(await execute.Within(Bounded, "in-flight execute"), "canceled");
        Assert.Equal("canceled", result["error"]!["code"]!.GetValue<string>());
        Assert.Equal(0, await process.WaitForExitAsync(Bounded));
    }

    [Fact]
    public async Task Run_that_finishes_within_the_grace_succeeds_and_the_process_exits_0()
    {
        await using var executor = await StartAsync(graceSeconds: 10);
        var (process, client) = (executor.Process, executor.Client);
        var execute = client.ExecuteAsync(ExecuteRequests.Sleep(3));
        await client.WaitForRunningAsync(1);

        process.Terminate();
        Assert.False(execute.IsCompleted, "the sleep ended before SIGTERM was sent; the drain was not exercised");

        var result = await HttpAssert.ResultAsync(await execute.Within(Bounded, "in-flight execute"), "succeeded");
        Assert.True(result["outputs"]!["slept_seconds"]!.GetValue<double>() >= 3);
        Assert.Equal(0, await process.WaitForExitAsync(Bounded));
    }

    [Fact]
    public async Task While_draining_new_executes_are_503_shutting_down_and_health_is_down()
    {
        await using var executor = await StartAsync(graceSeconds: 60);
        var (process, client) = (executor.Process, executor.Client);
        var id = ExecuteRequests.NewId();
        var execute = client.ExecuteAsync(ExecuteRequests.Sleep(30, id));
        await client.WaitForRunningAsync(1);

        process.Terminate();
        await Eventually.UntilAsync(client.CapacityCheckAsync, c => c.Status == "down", Bounded, "health reports capacity down");

        var health = await client.GetAsync("/v1/health");
        var healthBody = await HttpAssert.JsonAsync(health, HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.Health, healthBody);
        Assert.Contains("\"down\"", healthBody);

        var refused = await client.ExecuteAsync(ExecuteRequests.Echo("too late"));
        var error = await HttpAssert.ErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "shutting_down");
        Assert.True(error["retryable"]!.GetValue<bool>());
        HttpAssert.RetryAfter(refused);

        // The last run can still be canceled; once it is answered the drain is over and the process exits.
        Assert.Equal(HttpStatusCode.NoContent, (await client.CancelAsync(id)).StatusCode);
        await HttpAssert.ResultAsync(await execute.Within(Bounded, "in-flight execute"), "canceled");
        Assert.Equal(0, await process.WaitForExitAsync(Bounded));
    }
}
