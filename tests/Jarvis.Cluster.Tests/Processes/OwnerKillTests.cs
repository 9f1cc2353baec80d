using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Tests.Shared;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>SIGKILL of the instance that runs a node run: its caller, waiting on another instance, gets a retryable
/// failure within a bounded time instead of hanging, and the survivors take over the lost instance's ids.</summary>
public sealed class OwnerKillTests(ITestOutputHelper output)
{
    private const string Sleep = "jarvis.core.sleep";
    private const string Uuid = "jarvis.core.uuid4";
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Killing_the_owner_answers_the_caller_on_another_instance_failed_retryable_within_10_s_and_survivors_take_over(bool mutualTls)
    {
        using var certificates = mutualTls ? new TestCertificates() : null;
        await using var cluster = await ExecutorCluster.StartAsync(output, tls: certificates);
        await cluster.SpreadShardsAsync();

        // A 30 s sleep sent through one instance and run by another (a new id through the next instance until so).
        var run = await StartRunOwnedElsewhereAsync(cluster);
        var (caller, owner) = (run.Located.Via, run.Located.Owner);
        output.WriteLine($"run {run.Id}: sent through {caller.Name}, runs on {owner.Name}");
        // Finished runs whose results the owner holds: lost with it, their ids must run again on the survivors.
        var lost = await FinishedRunsOwnedByAsync(cluster, owner, count: 5);

        var clock = Stopwatch.StartNew();
        owner.Kill();
        var response = await run.Located.Execute.Within(TimeSpan.FromSeconds(60), "the execute whose owner was killed");
        var answeredAfter = clock.Elapsed;
        output.WriteLine($"the caller on {caller.Name} was answered {answeredAfter.TotalSeconds:0.00} s after SIGKILL of {owner.Name}");

        var error = await HttpAssert.FailedAsync(response, "executor_unavailable");
        Assert.True(error["retryable"]?.GetValue<bool>() == true, $"executor_unavailable not marked retryable: {error.ToJsonString()}");
        Assert.True(answeredAfter < AnswerBound,
            $"the caller waited {answeredAfter.TotalSeconds:0.00} s after its run's owner died (bound {AnswerBound.TotalSeconds:0} s)");
        Assert.False(caller.HasExited, $"{caller.Name} exited");

        // The survivors down the dead instance; new runs, also of ids it owned, start on them again.
        var survivors = cluster.Running;
        var rounds = await UntilAllSucceedAsync(survivors, perInstance: 15, lost, RecoveryBound - clock.Elapsed);
        output.WriteLine($"new runs through every survivor, and the {lost.Count} lost ids again, all succeeded " +
            $"{clock.Seconds()} after SIGKILL ({rounds} rounds)");
        await cluster.WaitForMembersAsync(survivors, membersUp: 2, RecoveryBound);
        output.WriteLine($"survivors report 2 members up, 0 unreachable {clock.Seconds()} after SIGKILL");

        // The coordinator's retry of the failed run (same id, same request) starts on a survivor, and a cancel through
        // the other survivor reaches it there.
        var retry = await StartOnSurvivorAsync(cluster, caller, run.Request, RecoveryBound);
        output.WriteLine($"retry of {run.Id} through {caller.Name} runs on {retry.Owner.Name}, {clock.Seconds()} after SIGKILL");
        var other = survivors.Single(s => s != caller);
        Assert.Equal(HttpStatusCode.NoContent, (await other.Client.CancelAsync(run.Id)).StatusCode);
        var canceled = await HttpAssert.ResultAsync(await retry.Execute.Within(TimeSpan.FromSeconds(15), "the canceled retry"), "canceled");
        Assert.Equal("canceled", canceled["error"]!["code"]!.GetValue<string>());
    }

    private sealed record OwnedElsewhere(string Id, string Request, LocatedRun Located);

    private async Task<OwnedElsewhere> StartRunOwnedElsewhereAsync(ExecutorCluster cluster)
    {
        const int attempts = 30;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var via = cluster[attempt % cluster.Instances.Count];
            var id = ExecuteRequests.NewId("kill");
            var request = ExecuteRequests.Sleep(30, id);
            var located = await cluster.StartAndLocateAsync(via, request, Sleep);
            if (located.Owner != located.Via) return new OwnedElsewhere(id, request, located);

            // runs where it was sent: cancel it through another instance and try again
            output.WriteLine($"run {id} runs on {via.Name}, where it was sent; canceling it");
            var canceler = cluster[(attempt + 1) % cluster.Instances.Count];
            Assert.Equal(HttpStatusCode.NoContent, (await canceler.Client.CancelAsync(id)).StatusCode);
            await HttpAssert.ResultAsync(await located.Execute.Within(TimeSpan.FromSeconds(15), "a canceled probe run"), "canceled");
        }
        throw new InvalidOperationException($"{attempts} runs in a row ran on the instance they were sent through: are runs routed by id?");
    }

    /// <summary>uuid4 runs (new ids, through every instance in turn) until <paramref name="count"/> of them ran on
    /// <paramref name="owner"/>; returns their requests.</summary>
    private static async Task<IReadOnlyList<string>> FinishedRunsOwnedByAsync(ExecutorCluster cluster, ClusterInstance owner, int count)
    {
        var owned = new List<string>();
        for (var attempt = 0; owned.Count < count; attempt++)
        {
            Assert.True(attempt < 200, $"200 uuid4 runs found only {owned.Count} run on {owner.Name}");
            var request = ExecuteRequests.For(Uuid, new JsonObject(), ExecuteRequests.NewId("lost"));
            var located = await cluster.StartAndLocateAsync(cluster[attempt % cluster.Instances.Count], request, Uuid);
            await HttpAssert.ResultAsync(await located.Execute.Within(TimeSpan.FromSeconds(15), "a uuid4 run"), "succeeded");
            if (located.Owner == owner) owned.Add(request);
        }
        return owned;
    }

    /// <summary>Sends <paramref name="request"/> through <paramref name="via"/> until a survivor starts it; until then
    /// only retryable refusals are accepted.</summary>
    private static async Task<LocatedRun> StartOnSurvivorAsync(ExecutorCluster cluster, ClusterInstance via, string request, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await cluster.StartAndLocateAsync(via, request, Sleep);
            }
            catch (AnsweredBeforeStartException early) when (clock.Elapsed < timeout)
            {
                Assert.Null(await RetryableAnswer.SucceededOrRetryableAsync(early.Response, "executor_unavailable"));
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Rounds of echoes with new ids through every one of <paramref name="instances"/>, plus
    /// <paramref name="requests"/> (spread over them), until a whole round succeeds; meanwhile only retryable refusals
    /// are accepted. Returns the number of rounds.</summary>
    internal static async Task<int> UntilAllSucceedAsync(IReadOnlyList<ClusterInstance> instances, int perInstance,
        IReadOnlyList<string> requests, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        for (var round = 1; ; round++)
        {
            var echoes = instances.SelectMany(instance => Enumerable.Range(0, perInstance).Select(async _ =>
            {
                var text = Guid.NewGuid().ToString("N");
                var result = await SendAsync(instance, ExecuteRequests.Echo(text));
                if (result is not null) Assert.Equal(text, result["outputs"]!["echo"]!.GetValue<string>());
                return result is not null;
            }));
            var others = requests.Select(async (request, k) => await SendAsync(instances[k % instances.Count], request) is not null);
            var answers = await Task.WhenAll(echoes.Concat(others));
            if (answers.All(ok => ok)) return round;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"after {timeout.TotalSeconds:0} s ({round} rounds) still {answers.Count(ok => !ok)} of " +
                    $"{answers.Length} runs through {string.Join(", ", instances.Select(i => i.Name))} refused as unavailable");
            await Task.Delay(250);
        }

        static async Task<JsonNode?> SendAsync(ClusterInstance instance, string request)
        {
            var response = await instance.Client.ExecuteAsync(request).Within(TimeSpan.FromSeconds(30), $"an execute through {instance.Name}");
            return await RetryableAnswer.SucceededOrRetryableAsync(response, "executor_unavailable", "shutting_down");
        }
    }
}
