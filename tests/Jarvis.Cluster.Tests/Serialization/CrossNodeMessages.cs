using System.Diagnostics;
using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Cluster.Tests.Serialization;

/// <summary>One instance of every message that crosses nodes, with every optional field set (and some without).</summary>
public static class CrossNodeMessages
{
    public static RunRequest FullRequest() => new()
    {
        NodeRunId = "run/1/node/ü-4",
        RunId = "run-1",
        NodeTypeId = "jarvis.core.echo",
        NodeTypeVersion = "0.3.8",
        NodeTypeRef = new JsonObject { ["node_type_id"] = "jarvis.core.echo", ["version"] = "0.3.8" },
        Inputs = new JsonObject { ["echo"] = "héllo \"quoted\" \u0001", ["n"] = 1.5e300, ["nested"] = new JsonArray(1, null, true) },
        MaxWallTime = TimeSpan.FromMilliseconds(1234.5),
        Budgets = new JsonObject { ["max_wall_time_ms"] = 1234.5 },
        Trace = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded,
            "vendor=value", isRemote: true),
        Caller = new CallerPrincipal("user-7", new Dictionary<string, string> { ["scope"] = "runs:execute", ["azp"] = "coordinator" }),
    };

    public static RunRequest BareRequest() => new()
    {
        NodeRunId = "n2",
        RunId = "r2",
        NodeTypeId = "jarvis.core.uuid4",
        NodeTypeVersion = "0.3.8",
        NodeTypeRef = new JsonObject { ["node_type_id"] = "jarvis.core.uuid4", ["version"] = "0.3.8" },
        Inputs = new JsonObject(),
    };

    public static RunResult Succeeded() => new("n1", RunState.Succeeded, new DateTimeOffset(2026, 12, 1, 10, 0, 0, 123, TimeSpan.Zero).AddTicks(4567),
        new DateTimeOffset(2026, 12, 1, 10, 0, 1, TimeSpan.Zero), Utf8JsonObject.From(new JsonObject { ["echo"] = "hi", ["list"] = new JsonArray("a", 2) }));

    /// <summary>Outputs held in several segments (over 64 KiB), with multi-byte characters across their boundaries.</summary>
    public static RunResult LargeSucceeded() => new("n3", RunState.Succeeded, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 1, 10, 0, 2, TimeSpan.Zero), Utf8JsonObject.From(new JsonObject { ["echo"] = string.Concat(Enumerable.Repeat("aü€😀", 40_000)) }));

    public static RunResult FailedWithDetails() => RunResult.Failed("n1", DateTimeOffset.UtcNow, new RunError("invalid_inputs", "bad",
        Retryable: false, Details: new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["path"] = "$.inputs.x", ["message"] = "m" }) }));

    public static RunResult TimedOut() => RunResult.TimedOut("n1", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(2));

    public static RunResult Canceled() => RunResult.Canceled("n1", DateTimeOffset.UtcNow, "the run was canceled");

    public static IEnumerable<object> All()
    {
        yield return new ExecuteRun(FullRequest());
        yield return new ExecuteRun(BareRequest());
        yield return new RoutedExecute(FullRequest(), long.MaxValue, AckWanted: true);
        yield return new RoutedExecute(BareRequest(), 1, AckWanted: false);
        yield return new CancelRun("run/1/node/ü-4");
        yield return CancelAccepted.Instance;
        yield return new RunHomed(42);
        foreach (var result in new[] { Succeeded(), LargeSucceeded(), FailedWithDetails(), TimedOut(), Canceled() })
        {
            yield return new RunAnswered(result);
            yield return new RoutedReply(7, new RunAnswered(result));
        }
        foreach (var reason in Enum.GetValues<RefusalReason>())
        {
            yield return new RunRefused(reason, $"refused: {reason}");
            yield return new RoutedReply(8, new RunRefused(reason, $"refused: {reason}"));
        }
    }
}
