using Akka.Actor;
using Akka.TestKit;
using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;
using Xunit.Abstractions;

namespace Jarvis.Actors.Tests.Support;

/// <summary>A fresh actor system per test with a supervisor over <see cref="TestNodes"/>, plus helpers to talk to it.</summary>
public abstract class RunSupervisorTestKit(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(TestConfig, output: output)
{
    /// <summary>Generous: the machine is small and shared. Never a timing target, only an upper bound.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Longer than any test may run: a deadline that must never be the one that fires.</summary>
    protected static readonly TimeSpan Never = TimeSpan.FromMinutes(10);

    private const string TestConfig = """
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        akka.test.single-expect-default = 10s
        """;

    protected TestNodes Nodes { get; } = new();
    protected HandlerLog Handlers => Nodes.Log;
    protected OrphanTracker Orphans { get; } = new();

    protected static RunSupervisorSettings Settings(TimeSpan? defaultTimeout = null, int? maxConcurrency = null, int maxQueue = 0,
        TimeSpan? queueTimeout = null, TimeSpan? resultTtl = null, int maxRememberedRuns = 1000,
        long maxRememberedBytes = RunSupervisorSettings.DefaultMaxRememberedBytes) => new(
        DefaultTimeout: defaultTimeout ?? Never,
        MaxConcurrency: maxConcurrency,
        MaxQueue: maxQueue,
        QueueTimeout: queueTimeout ?? Never,
        ResultTtl: resultTtl ?? TimeSpan.FromMinutes(5),
        MaxRememberedRuns: maxRememberedRuns,
        MaxRememberedBytes: maxRememberedBytes);

    protected IActorRef StartSupervisor(RunSupervisorSettings? settings = null, TimeProvider? clock = null, IRunObserver? observer = null)
    {
        var catalog = NodeCatalog.Build([Nodes.Pack], Orphans);
        var registry = Sys.ActorOf(NodeRegistryActor.Props(catalog), "node-types");
        return Sys.ActorOf(RunSupervisor.Props(settings ?? Settings(), registry, observer, clock: clock), "runs");
    }

    /// <summary>Sends an execute from a new caller; the returned probe receives the reply.</summary>
    protected TestProbe Execute(IActorRef supervisor, RunRequest request)
    {
        var caller = CreateTestProbe();
        supervisor.Tell(new ExecuteRun(request), caller.Ref);
        return caller;
    }

    protected static RunResult ExpectAnswer(TestProbe caller) => caller.ExpectMsg<RunAnswered>(Patience).Result;

    protected static RunRefused ExpectRefusal(TestProbe caller, RefusalReason reason)
    {
        var refusal = caller.ExpectMsg<RunRefused>(Patience);
        Assert.Equal(reason, refusal.Reason);
        return refusal;
    }

    protected void Cancel(IActorRef supervisor, string nodeRunId)
    {
        var canceller = CreateTestProbe();
        supervisor.Tell(new CancelRun(nodeRunId), canceller.Ref);
        canceller.ExpectMsg<CancelAccepted>(Patience);
    }

    protected Load LoadOf(IActorRef supervisor)
    {
        var asker = CreateTestProbe();
        supervisor.Tell(GetLoad.Instance, asker.Ref);
        return asker.ExpectMsg<Load>(Patience);
    }

    protected static void AssertSucceeded(RunResult result, string expectedValue)
    {
        Assert.True(result.State == RunState.Succeeded, $"expected succeeded, got {result.State} {result.Error}");
        Assert.Equal(expectedValue, result.Outputs!.Parse()["value"]!.GetValue<string>());
    }

    /// <summary>A replayed result is the stored one: same fields, and outputs equal as JSON.</summary>
    protected static void AssertSameResult(RunResult expected, RunResult actual)
    {
        Assert.Equal(expected with { Outputs = null }, actual with { Outputs = null });
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected.Outputs?.Parse(), actual.Outputs?.Parse()),
            $"outputs differ: {expected.Outputs} vs {actual.Outputs}");
    }

    protected static RunError AssertFailed(RunResult result, string code)
    {
        Assert.True(result.State == RunState.Failed, $"expected failed/{code}, got {result.State} {result.Error}");
        Assert.Equal(code, result.Error!.Code);
        return result.Error;
    }

    protected static void AssertCanceled(RunResult result)
    {
        Assert.True(result.State == RunState.Canceled, $"expected canceled, got {result.State} {result.Error}");
        Assert.Equal(RunErrorCodes.Canceled, result.Error!.Code);
    }

    protected override void Dispose(bool disposing)
    {
        Handlers.ReleaseAll(); // no handler outlives its test
        base.Dispose(disposing);
    }
}
