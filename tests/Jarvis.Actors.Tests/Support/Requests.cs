using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;

namespace Jarvis.Actors.Tests.Support;

public static class Requests
{
    /// <summary>A request for <paramref name="nodeTypeId"/> with <c>{"value": value}</c> as inputs unless given.</summary>
    public static RunRequest For(string nodeRunId, string nodeTypeId, JsonObject? inputs = null, TimeSpan? maxWallTime = null,
        string version = "1.0.0", string value = "v") => new()
    {
        NodeRunId = nodeRunId,
        RunId = "run-under-test",
        NodeTypeId = nodeTypeId,
        NodeTypeVersion = version,
        NodeTypeRef = new JsonObject { ["id"] = nodeTypeId, ["version"] = version },
        Inputs = inputs ?? new JsonObject { ["value"] = value },
        MaxWallTime = maxWallTime,
    };
}
