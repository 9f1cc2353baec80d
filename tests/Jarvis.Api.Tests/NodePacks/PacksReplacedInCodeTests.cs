using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary>Packs given in code (<c>Program.Build(args, packs)</c>) replace every installed pack, the directories
/// of JARVIS_NODEPACKS_PATH included (HandlerReplacementTests covers the built-in ones).</summary>
public sealed class PacksReplacedInCodeTests
{
    private sealed class GreetingPack : INodePack
    {
        public string Id => "test.greeting";
        public string Version => "3.1.4";

        public IReadOnlyList<NodeDefinition> Nodes { get; } =
        [
            new()
            {
                NodeTypeId = "test.greeting.hello",
                Version = "3.1.4",
                Description = "Says hello.",
                InputSchema = new JsonObject { ["type"] = "object" },
                OutputSchema = new JsonObject { ["type"] = "object" },
                SideEffect = SideEffect.Write,
                TrustTier = TrustTier.Verified,
                Handler = (_, _, _) => ValueTask.FromResult(new JsonObject { ["hello"] = "world" }),
            },
        ];
    }

    [Fact]
    public async Task Packs_in_code_replace_the_packs_of_JARVIS_NODEPACKS_PATH()
    {
        using var directory = PackDirectory.WithSamplePack();
        await using var server = await ExecutorServer.StartAsync([new GreetingPack()], ("JARVIS_NODEPACKS_PATH", directory.Path));

        var nodeType = Assert.Single(JsonNode.Parse(await server.Client.GetStringAsync("/v1/node-types"))!.AsArray())!;
        Assert.Equal("test.greeting.hello", nodeType["node_type_id"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["jarvis.pack_id"] = "test.greeting",
            ["jarvis.pack_version"] = "3.1.4",
            ["jarvis.node_name"] = "hello",
            ["jarvis.side_effect"] = "write",
            ["jarvis.trust_tier"] = "verified",
        }, nodeType["extensions"]), nodeType.ToJsonString());
        Assert.Equal("write", nodeType["constraints"]!["gates"]!["side_effect_class"]!.GetValue<string>());

        var reverse = await server.Client.ExecuteAsync(SampleNodes.ReverseRequest("ab"));
        await HttpAssert.FailedAsync(reverse, "unknown_node_type");
    }
}
