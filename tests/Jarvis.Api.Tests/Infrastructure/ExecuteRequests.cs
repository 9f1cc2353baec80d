using System.Text.Json.Nodes;
using Jarvis.NodePacks.Core;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>AtomicExecuteRequest bodies for the core nodes.</summary>
public static class ExecuteRequests
{
    public const string ExecutePath = "/v1/atomic-node-runs:execute";

    public static string CancelPath(string nodeRunId) => $"/v1/atomic-node-runs/{Uri.EscapeDataString(nodeRunId)}:cancel";

    public static string NewId(string prefix = "nr") => $"{prefix}-{Guid.NewGuid():N}";

    public static string For(string nodeTypeId, JsonObject inputs, string? nodeRunId = null, long? maxWallTimeMs = null,
        string version = CoreNodePack.PackVersion)
    {
        var request = new JsonObject
        {
            ["node_run_id"] = nodeRunId ?? NewId(),
            ["run_id"] = "run-http-tests",
            ["node_type_ref"] = new JsonObject { ["node_type_id"] = nodeTypeId, ["version"] = version },
            ["inputs"] = inputs,
        };
        if (maxWallTimeMs is { } ms)
            request["constraints"] = new JsonObject { ["budgets"] = new JsonObject { ["max_wall_time_ms"] = ms } };
        return request.ToJsonString();
    }

    public static string Echo(string text, string? nodeRunId = null) =>
        For("jarvis.core.echo", new JsonObject { ["echo"] = text }, nodeRunId);

    public static string Sleep(double seconds, string? nodeRunId = null, long? maxWallTimeMs = null) =>
        For("jarvis.core.sleep", new JsonObject { ["seconds"] = seconds }, nodeRunId, maxWallTimeMs);

    /// <summary>A <c>jarvis.web.fetch</c> of <paramref name="url"/>, with more inputs from <paramref name="extraInputsJson"/>.</summary>
    public static string Fetch(string url, string? extraInputsJson = null, string? nodeRunId = null)
    {
        var inputs = extraInputsJson is null ? new JsonObject() : (JsonObject)JsonNode.Parse(extraInputsJson)!;
        inputs["url"] = url;
        return For(Jarvis.NodePacks.Web.WebFetchNode.NodeTypeId, inputs, nodeRunId, version: Jarvis.NodePacks.Web.WebNodePack.PackVersion);
    }
}
