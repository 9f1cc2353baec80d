using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Core;

public static class SleepNode
{
    public static readonly NodeDefinition Definition = new()
    {
        NodeTypeId = "jarvis.core.sleep",
        Version = CoreNodePack.PackVersion,
        Description = "Waits `seconds` (or `duration_seconds`) seconds, then reports how long it slept. Cancellable.",
        InputSchema = Schemas.Object("""
            {"seconds": {"type": ["number", "null"], "minimum": 0},
             "duration_seconds": {"type": ["number", "null"], "minimum": 0}}
            """),
        OutputSchema = Schemas.Object("""{"slept_seconds": {"type": "number", "minimum": 0}}""", required: ["slept_seconds"]),
        Tags = ["core", "debug"],
        Handler = SleepAsync,
    };

    private static async ValueTask<JsonObject> SleepAsync(JsonObject inputs, NodeContext context, CancellationToken cancellation)
    {
        var seconds = Seconds(inputs["seconds"]) ?? Seconds(inputs["duration_seconds"]) ?? 0d;
        // Task.Delay takes at most ~49 days; no deadline is that long, so a longer sleep simply times out.
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, LongestDelay.TotalSeconds)), cancellation);
        return new JsonObject { ["slept_seconds"] = seconds };
    }

    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(40);

    private static double? Seconds(JsonNode? value) => value?.GetValue<double>();
}
