using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>Packs given in code (<c>Program.Build(args, packs)</c>, the reference's <c>handlers=</c>) replace every
/// installed pack: the built-in ones and those of JARVIS_NODEPACKS_PATH.</summary>
public sealed class PacksReplacedInCodeTests
{
    private sealed class ShoutPack : INodePack
    {
        public string Id => "test.shout";
        public string Version => "3.1.4";

        public IReadOnlyList<NodeDefinition> Nodes { get; } =
        [
            new()
            {
                NodeTypeId = "test.shout.upper",
                Version = "3.1.4",
                Description = "Upper-cases `text`.",
                InputSchema = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("text"), ["properties"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "string" } } },
                OutputSchema = new JsonObject { ["type"] = "object" },
                SideEffect = SideEffect.Write,
                TrustTier = TrustTier.Verified,
                Handler = (inputs, _, _) => ValueTask.FromResult(new JsonObject { ["text"] = inputs["text"]!.GetValue<string>().ToUpperInvariant() }),
            },
        ];
    }

    [Fact]
    public async Task Replaced_packs_are_the_only_installed_nodes()
    {
        await using var server = await ExecutorServer.StartAsync([new ShoutPack()]);

        var nodeTypes = JsonNode.Parse(await server.Client.GetStringAsync("/v1/node-types"))!.AsArray();
        Assert.Equal(["test.shout.upper"], nodeTypes.Select(n => n!["node_type_id"]!.GetValue<string>()));

        var shout = await server.PostJsonAsync("/v1/atomic-node-runs:execute",
            """{"node_run_id":"s","run_id":"r","node_type_ref":{"node_type_id":"test.shout.upper","version":"3.1.4"},"inputs":{"text":"hi"}}""");
        Assert.Equal(HttpStatusCode.OK, shout.StatusCode);
        Assert.Equal("HI", JsonNode.Parse(await shout.Content.ReadAsStringAsync())!["outputs"]!["text"]!.GetValue<string>());

        var echo = await server.PostJsonAsync("/v1/atomic-node-runs:execute",
            """{"node_run_id":"e","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"hi"}}""");
        Assert.Equal("unknown_node_type", JsonNode.Parse(await echo.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Packs_in_code_replace_the_packs_of_JARVIS_NODEPACKS_PATH()
    {
        using var directory = PackDirectory.WithSamplePack();
        await using var server = await ExecutorServer.StartAsync([new ShoutPack()], ("JARVIS_NODEPACKS_PATH", directory.Path));

        var nodeType = Assert.Single(JsonNode.Parse(await server.Client.GetStringAsync("/v1/node-types"))!.AsArray())!;
        Assert.Equal("test.shout.upper", nodeType["node_type_id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["jarvis.pack_id"] = "test.shout",
            ["jarvis.pack_version"] = "3.1.4",
            ["jarvis.node_name"] = "upper",
            ["jarvis.side_effect"] = "write",
            ["jarvis.trust_tier"] = "verified",
        }, nodeType["extensions"]), nodeType.ToJsonString());
        Assert.Equal("write", nodeType["constraints"]!["gates"]!["side_effect_class"]!.GetValue<string>());

        var reverse = await server.Client.ExecuteAsync(SampleNodes.ReverseRequest("ab"));
        await HttpAssert.FailedAsync(reverse, "unknown_node_type");
    }
}
