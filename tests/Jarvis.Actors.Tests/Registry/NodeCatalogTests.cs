using Jarvis.Actors.Registry;
using Jarvis.Actors.Runs;
using Jarvis.Actors.Tests.Support;

namespace Jarvis.Actors.Tests.Registry;

public sealed class NodeCatalogTests
{
    [Fact]
    public void Same_node_id_in_two_packs_is_a_start_up_error_naming_both_packs()
    {
        var alpha = new TestPack("pack.alpha", [TestNodes.Node("shared.node", Handler), TestNodes.Node("alpha.only", Handler)]);
        var beta = new TestPack("pack.beta", [TestNodes.Node("shared.node", Handler)]);

        var error = Assert.Throws<InvalidOperationException>(() => NodeCatalog.Build([alpha, beta], new OrphanTracker()));

        Assert.Contains("shared.node", error.Message);
        Assert.Contains("pack.alpha", error.Message);
        Assert.Contains("pack.beta", error.Message);
    }

    [Fact]
    public void Distinct_node_ids_across_packs_are_all_installed()
    {
        var alpha = new TestPack("pack.alpha", [TestNodes.Node("alpha.node", Handler)]);
        var beta = new TestPack("pack.beta", [TestNodes.Node("beta.node", Handler)]);

        var catalog = NodeCatalog.Build([alpha, beta], new OrphanTracker());

        Assert.Equal(2, catalog.All.Count);
        Assert.True(catalog.TryGet("alpha.node", out var alphaNode));
        Assert.Equal("alpha.node", alphaNode.Definition.NodeTypeId);
        Assert.True(catalog.TryGet("beta.node", out _));
        Assert.False(catalog.TryGet("gamma.node", out _));
    }

    [Fact]
    public void Node_with_neither_handler_nor_actor_props_is_a_start_up_error_naming_its_pack()
    {
        var pack = new TestPack("pack.broken", [TestNodes.Node("broken.node", handler: null)]);

        var error = Assert.Throws<InvalidOperationException>(() => NodeCatalog.Build([pack], new OrphanTracker()));

        Assert.Contains("broken.node", error.Message);
        Assert.Contains("pack.broken", error.Message);
    }

    private static ValueTask<System.Text.Json.Nodes.JsonObject> Handler(System.Text.Json.Nodes.JsonObject inputs,
        Jarvis.NodePacks.Sdk.NodeContext context, CancellationToken cancellation) => ValueTask.FromResult(inputs);
}
