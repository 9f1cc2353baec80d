using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>A host can replace the installed handler set in code, as the reference's <c>handlers=</c> argument does.</summary>
public sealed class HandlerReplacementTests
{
    private sealed class ShoutPack : INodePack
    {
        public string Id => "test.shout";
        public string Version => "1.0.0";

        public IReadOnlyList<NodeDefinition> Nodes { get; } =
        [
            new()
            {
                NodeTypeId = "test.shout",
                Version = "1.0.0",
                Description = "Upper-cases `text`.",
                InputSchema = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("text"), ["properties"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "string" } } },
                OutputSchema = new JsonObject { ["type"] = "object" },
                Handler = (inputs, _, _) => ValueTask.FromResult(new JsonObject { ["text"] = inputs["text"]!.GetValue<string>().ToUpperInvariant() }),
            },
        ];
    }

    [Fact]
    public async Task Replaced_packs_are_the_only_installed_nodes()
    {
        await using var server = await ExecutorServer.StartAsync([new ShoutPack()]);

        var nodeTypes = JsonNode.Parse(await server.Client.GetStringAsync("/v1/node-types"))!.AsArray();
        Assert.Equal(["test.shout"], nodeTypes.Select(n => n!["node_type_id"]!.GetValue<string>()));

        var shout = await server.PostJsonAsync("/v1/atomic-node-runs:execute",
            """{"node_run_id":"s","run_id":"r","node_type_ref":{"node_type_id":"test.shout","version":"1.0.0"},"inputs":{"text":"hi"}}""");
        Assert.Equal(HttpStatusCode.OK, shout.StatusCode);
        Assert.Equal("HI", JsonNode.Parse(await shout.Content.ReadAsStringAsync())!["outputs"]!["text"]!.GetValue<string>());

        var echo = await server.PostJsonAsync("/v1/atomic-node-runs:execute",
            """{"node_run_id":"e","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"hi"}}""");
        Assert.Equal("unknown_node_type", JsonNode.Parse(await echo.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }
}
