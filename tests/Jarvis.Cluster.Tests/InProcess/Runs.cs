using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Supervision;

namespace Jarvis.Cluster.Tests.InProcess;

/// <summary>Run requests of the core pack, and reading replies.</summary>
public static class Runs
{
    public static string NewId() => "n-" + Guid.NewGuid().ToString("N");

    public static RunRequest Sleep(string id, double seconds) => Request(id, "jarvis.core.sleep", new JsonObject { ["seconds"] = seconds });

    public static RunRequest Echo(string id, string text) => Request(id, "jarvis.core.echo", new JsonObject { ["echo"] = text });

    private static RunRequest Request(string id, string nodeTypeId, JsonObject inputs) => new()
    {
        NodeRunId = id,
        RunId = "r-cluster-tests",
        NodeTypeId = nodeTypeId,
        NodeTypeVersion = "0.3.8",
        NodeTypeRef = new JsonObject { ["node_type_id"] = nodeTypeId, ["version"] = "0.3.8" },
        Inputs = inputs,
    };

    public static RunResult Answered(ExecuteReply reply)
    {
        var answered = Assert.IsType<RunAnswered>(reply);
        return answered.Result;
    }

    public static async Task<RunResult> AnsweredWithin(Task<ExecuteReply> reply, TimeSpan bound, string what)
    {
        var finished = await Task.WhenAny(reply, Task.Delay(bound));
        Assert.True(finished == reply, $"{what} was not answered within {bound}");
        return Answered(await reply);
    }
}
