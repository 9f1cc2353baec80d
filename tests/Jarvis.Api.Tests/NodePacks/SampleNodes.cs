using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.NodePacks.Loading;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>The sample text pack (samples/Jarvis.Samples.TextPack), as the executor would load it, and requests for its nodes.</summary>
public static class SampleNodes
{
    public const string PackId = "sample.text";
    public const string Reverse = "sample.text.reverse";
    public const string CountWords = "sample.text.count_words";

    private static readonly Lazy<INodePack> Loaded = new(() => Assert.Single(NodePackLoader.LoadFrom([PackDirectory.SampleBuildOutput])));

    /// <summary>The pack loaded from its build output, for what the executor should publish about it.</summary>
    public static INodePack Pack => Loaded.Value;

    public static NodeDefinition Definition(string nodeTypeId) => Pack.Nodes.Single(n => n.NodeTypeId == nodeTypeId);

    public static string Request(string nodeTypeId, JsonObject inputs, string? nodeRunId = null) => new JsonObject
    {
        ["node_run_id"] = nodeRunId ?? ExecuteRequests.NewId(),
        ["run_id"] = "run-sample-pack-tests",
        ["node_type_ref"] = new JsonObject { ["node_type_id"] = nodeTypeId, ["version"] = Definition(nodeTypeId).Version },
        ["inputs"] = inputs,
    }.ToJsonString();

    public static string ReverseRequest(string text) => Request(Reverse, new JsonObject { ["text"] = text });

    public static string CountWordsRequest(params string[] texts) =>
        Request(CountWords, new JsonObject { ["texts"] = new JsonArray(texts.Select(t => (JsonNode)t).ToArray()) });
}
