using Jarvis.Actors.Supervision;
using Jarvis.Api.Endpoints;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Observability;

/// <summary>/v1/health checks: actor system, registry, capacity (degraded near full), orphaned handlers; always schema-valid.</summary>
public sealed class HealthTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Idle_executor_is_ok_with_every_check_and_the_node_type_count()
    {
        await using var server = await ExecutorServer.StartAsync();

        var health = await HealthReader.GetAsync(server.Client);

        Assert.Equal("ok", health.Status);
        Assert.Equal("ok", health.Check("actor_system"));
        Assert.Equal("ok", health.Check("capacity"));
        Assert.Equal("ok", health.Check("orphaned_handlers"));
        Assert.Equal("ok", health.Check("registry"));
        Assert.Equal(6, health.CheckNode("registry")["details"]!["node_types"]!.GetValue<int>());
    }

    [Fact]
    public async Task Full_queue_turns_health_degraded_and_back_to_ok_when_it_empties()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_CONCURRENCY", "1"), ("JARVIS_MAX_QUEUE", "1"));
        var blocker = ExecuteRequests.NewId();
        var running = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, blocker));
        await server.Client.WaitForRunningAsync(1);
        Assert.Equal("ok", (await HealthReader.GetAsync(server.Client)).Status); // every slot busy, but the queue is empty

        var queued = server.Client.ExecuteAsync(ExecuteRequests.Echo("waits"));
        var full = await Eventually.UntilAsync(() => HealthReader.GetAsync(server.Client), h => h.Status == "degraded", Bounded, "health degraded");
        Assert.Equal("degraded", full.Check("capacity"));
        Assert.Equal(1, full.CheckNode("capacity")["details"]!["queued"]!.GetValue<int>());
        Assert.Equal(1, full.CheckNode("capacity")["details"]!["max_queue"]!.GetValue<int>());

        await server.Client.CancelAsync(blocker);
        await HttpAssert.ResultAsync(await running.Within(Bounded, "blocker"), "canceled");
        await HttpAssert.ResultAsync(await queued.Within(Bounded, "queued echo"), "succeeded");

        await Eventually.UntilAsync(() => HealthReader.GetAsync(server.Client), h => h.Status == "ok", Bounded, "health ok again");
    }

    [Fact]
    public async Task Without_a_cap_capacity_stays_ok_while_runs_are_in_flight()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        var running = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, id));
        await server.Client.WaitForRunningAsync(1);

        var health = await HealthReader.GetAsync(server.Client);

        Assert.Equal("ok", health.Check("capacity"));
        Assert.Null(health.CheckNode("capacity")["details"]!["max_concurrency"]);
        await server.Client.CancelAsync(id);
        await HttpAssert.ResultAsync(await running.Within(Bounded, "sleep"), "canceled");
    }

    [Theory]
    // running, queued, cap, max queue → status
    [InlineData(0, 7, 2, 10, "ok")]
    [InlineData(2, 8, 2, 10, "degraded")] // 80 % of the queue
    [InlineData(2, 0, 2, 1, "ok")]
    [InlineData(2, 1, 2, 1, "degraded")]
    [InlineData(1, 0, 2, 0, "ok")]
    [InlineData(2, 0, 2, 0, "degraded")] // no queue: every slot busy means the next run is refused
    public void Capacity_is_degraded_when_the_next_runs_are_about_to_be_refused(int running, int queued, int cap, int maxQueue, string status)
    {
        var settings = RunSupervisorSettings.Default with { MaxConcurrency = cap, MaxQueue = maxQueue };
        Assert.Equal(status, HealthApi.Capacity(new Load(running, queued, Draining: false), settings).Status);
    }

    [Fact]
    public void Capacity_is_down_while_draining()
    {
        var settings = RunSupervisorSettings.Default with { MaxConcurrency = 2, MaxQueue = 10 };
        Assert.Equal("down", HealthApi.Capacity(new Load(0, 0, Draining: true), settings).Status);
    }
}
