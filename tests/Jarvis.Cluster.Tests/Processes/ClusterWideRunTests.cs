using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>One cluster of three for the tests of <see cref="ClusterWideRunTests"/>.</summary>
public sealed class ThreeInstanceCluster : IAsyncLifetime
{
    public ExecutorCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ExecutorCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>Execute, cancel, join, replay and conflict across instances: one node_run_id is one run cluster-wide,
/// whichever instance each request goes through.</summary>
public sealed class ClusterWideRunTests(ThreeInstanceCluster fixture, ITestOutputHelper output) : IClassFixture<ThreeInstanceCluster>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);
    private ExecutorCluster Cluster => fixture.Cluster;
    private ClusterInstance A => Cluster[0];
    private ClusterInstance B => Cluster[1];
    private ClusterInstance C => Cluster[2];

    private async Task<double> StartedAsync(string nodeTypeId) =>
        (await ExecutorCluster.StartedCountsAsync(Cluster.Instances, nodeTypeId)).Sum();

    [Fact]
    public async Task Cancel_through_another_instance_cancels_the_run_and_a_duplicate_through_a_third_gets_the_same_result()
    {
        var id = ExecuteRequests.NewId("cancel");
        var request = ExecuteRequests.Sleep(60, id);
        var startedBefore = await StartedAsync("jarvis.core.sleep");
        var run = await Cluster.StartAndLocateAsync(A, request, "jarvis.core.sleep");
        output.WriteLine($"{id}: sent through {A.Name}, runs on {run.Owner.Name}");

        var duplicate = C.Client.ExecuteAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, (await B.Client.CancelAsync(id)).StatusCode);

        var first = await HttpAssert.ResultAsync(await run.Execute.Within(Bounded, "the canceled execute"), "canceled");
        Assert.Equal("canceled", first["error"]!["code"]!.GetValue<string>());
        var second = await HttpAssert.ResultAsync(await duplicate.Within(Bounded, "the duplicate execute"), "canceled");
        AssertSameResult(first, second);
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.sleep"));

        // and later, through any instance, the same canceled result again
        foreach (var instance in Cluster.Instances)
            AssertSameResult(first, await HttpAssert.ResultAsync(await instance.Client.ExecuteAsync(request), "canceled"));
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.sleep"));
    }

    [Fact]
    public async Task Duplicates_through_other_instances_join_the_running_run()
    {
        var id = ExecuteRequests.NewId("join");
        var request = ExecuteRequests.Sleep(3, id);
        var startedBefore = await StartedAsync("jarvis.core.sleep");
        var run = await Cluster.StartAndLocateAsync(A, request, "jarvis.core.sleep");
        var duplicates = new[] { B, C, A }.Select(i => i.Client.ExecuteAsync(request)).ToList();
        Assert.False(run.Execute.IsCompleted, "the run ended before its duplicates were sent");

        var first = await HttpAssert.ResultAsync(await run.Execute.Within(Bounded, "the execute"), "succeeded");
        foreach (var duplicate in duplicates)
            AssertSameResult(first, await HttpAssert.ResultAsync(await duplicate.Within(Bounded, "a duplicate"), "succeeded"));
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.sleep"));
    }

    [Fact]
    public async Task A_finished_run_is_replayed_through_every_instance_without_running_again()
    {
        // uuid4: a run that ran again would answer another uuid
        var id = ExecuteRequests.NewId("replay");
        var request = ExecuteRequests.For("jarvis.core.uuid4", new JsonObject(), id);
        var startedBefore = await StartedAsync("jarvis.core.uuid4");
        var first = await HttpAssert.ResultAsync(await A.Client.ExecuteAsync(request), "succeeded");

        foreach (var instance in new[] { B, C, A, C, B })
            AssertSameResult(first, await HttpAssert.ResultAsync(await instance.Client.ExecuteAsync(request), "succeeded"));
        Assert.Equal(startedBefore + 1, await StartedAsync("jarvis.core.uuid4"));
    }

    [Fact]
    public async Task The_same_id_with_other_inputs_through_another_instance_is_a_conflict()
    {
        var finishedId = ExecuteRequests.NewId("conflict");
        await HttpAssert.ResultAsync(await A.Client.ExecuteAsync(ExecuteRequests.Echo("one", finishedId)), "succeeded");
        foreach (var instance in new[] { B, C })
            await HttpAssert.ErrorAsync(await instance.Client.ExecuteAsync(ExecuteRequests.Echo("two", finishedId)),
                HttpStatusCode.Conflict, "node_run_conflict");

        // and while the first run is still in flight
        var runningId = ExecuteRequests.NewId("conflict");
        var run = await Cluster.StartAndLocateAsync(B, ExecuteRequests.Sleep(60, runningId), "jarvis.core.sleep");
        foreach (var instance in new[] { C, A, B })
            await HttpAssert.ErrorAsync(await instance.Client.ExecuteAsync(ExecuteRequests.Sleep(59, runningId)),
                HttpStatusCode.Conflict, "node_run_conflict");
        Assert.Equal(HttpStatusCode.NoContent, (await C.Client.CancelAsync(runningId)).StatusCode);
        await HttpAssert.ResultAsync(await run.Execute.Within(Bounded, "the canceled execute"), "canceled");
    }

    [Fact]
    public async Task A_cancel_before_the_execute_through_another_instance_is_remembered()
    {
        var id = ExecuteRequests.NewId("early");
        Assert.Equal(HttpStatusCode.NoContent, (await B.Client.CancelAsync(id)).StatusCode);
        var startedBefore = await StartedAsync("jarvis.core.sleep");

        var first = await HttpAssert.ResultAsync(
            await C.Client.ExecuteAsync(ExecuteRequests.Sleep(60, id)).Within(Bounded, "the execute after its cancel"), "canceled");
        Assert.Equal("canceled", first["error"]!["code"]!.GetValue<string>());
        // that canceled result is the run's result from then on, through any instance
        var again = await HttpAssert.ResultAsync(
            await A.Client.ExecuteAsync(ExecuteRequests.Sleep(60, id)).Within(Bounded, "the execute again"), "canceled");
        AssertSameResult(first, again);
        Assert.Equal(startedBefore, await StartedAsync("jarvis.core.sleep"));
    }

    /// <summary>Joined and replayed answers are the run's one result: same state, times, outputs and error.</summary>
    internal static void AssertSameResult(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"different results for one run:\n  {expected.ToJsonString()}\n  {actual.ToJsonString()}");
}
