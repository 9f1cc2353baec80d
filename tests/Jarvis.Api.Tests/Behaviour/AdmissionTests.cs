using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>Concurrency cap, queue and deadlines as seen over HTTP.</summary>
public sealed class AdmissionTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Over_the_cap_with_no_queue_is_503_overloaded_with_retry_after()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_CONCURRENCY", "1"), ("JARVIS_MAX_QUEUE", "0"));
        var blocker = ExecuteRequests.NewId();
        var running = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, blocker));
        await server.Client.WaitForRunningAsync(1);

        var response = await server.Client.ExecuteAsync(ExecuteRequests.Sleep(30));

        var error = await HttpAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "overloaded");
        Assert.True(error["retryable"]!.GetValue<bool>());
        HttpAssert.RetryAfter(response);

        await server.Client.CancelAsync(blocker);
        await HttpAssert.ResultAsync(await running.Within(Bounded, "blocker"), "canceled");
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("free again")), "succeeded");
    }

    [Fact]
    public async Task Queued_run_starts_when_the_slot_frees()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_CONCURRENCY", "1"), ("JARVIS_MAX_QUEUE", "1"));
        var blocker = ExecuteRequests.NewId();
        var running = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, blocker));
        await server.Client.WaitForRunningAsync(1);
        var queued = server.Client.ExecuteAsync(ExecuteRequests.Echo("after the blocker"));
        await Eventually.UntilAsync(server.Client.CapacityCheckAsync, c => c.Queued == 1, Bounded, "health reports 1 queued");

        await server.Client.CancelAsync(blocker);

        await HttpAssert.ResultAsync(await running.Within(Bounded, "blocker"), "canceled");
        await HttpAssert.ResultAsync(await queued.Within(Bounded, "queued echo"), "succeeded");
    }

    [Fact]
    public async Task Max_wall_time_ms_shorter_than_the_run_is_failed_timeout_retryable()
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, maxWallTimeMs: 300)).Within(Bounded, "timed-out execute");

        var error = await HttpAssert.FailedAsync(response, "timeout");
        Assert.True(error["retryable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Default_timeout_applies_when_smaller_than_max_wall_time_ms()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_DEFAULT_TIMEOUT_SECS", "0.3"));
        var response = await server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, maxWallTimeMs: 600_000)).Within(Bounded, "timed-out execute");

        var error = await HttpAssert.FailedAsync(response, "timeout");
        Assert.True(error["retryable"]!.GetValue<bool>());
        Assert.Contains("300 ms", error["message"]!.GetValue<string>());
    }
}
