using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.NodePacks;

/// <summary><c>GET /v1/node-types</c> with an external pack loaded: spec-valid NodeTypes for every node, and the
/// <c>jarvis.*</c> extensions a Node Registry reads (pack, name, side effect, trust tier, tags, egress policy).</summary>
public sealed class NodeTypesWithPacksTests : IAsyncLifetime
{
    // Operator egress settings, published as jarvis.web.fetch's jarvis.egress_policy.
    private static readonly string[] AllowedHosts = ["api.example.com", "*.example.org", "10.1.0.0/16"];
    private static readonly string[] BlockedHosts = ["bad.example.org"];
    private const long MaxBytes = 4096;
    private const double TimeoutSeconds = 2.5;

    private readonly PackDirectory _directory = PackDirectory.WithSamplePack();
    private ExecutorServer? _server;
    private JsonArray _nodeTypes = [];

    public async Task InitializeAsync()
    {
        _server = await ExecutorServer.StartAsync(
            ("JARVIS_NODEPACKS_PATH", _directory.Path),
            ("JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", string.Join(" , ", AllowedHosts)),
            ("JARVIS_ATOMIC_HTTP_BLOCKED_HOSTS", string.Join(",", BlockedHosts)),
            ("JARVIS_ATOMIC_HTTP_MAX_BYTES", MaxBytes.ToString()),
            ("JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var body = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/v1/node-types"), HttpStatusCode.OK);
        _nodeTypes = JsonNode.Parse(body)!.AsArray();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_node_type_including_the_packs_matches_the_node_type_schema()
    {
        Assert.Contains(_nodeTypes, n => Id(n) == SampleNodes.Reverse);
        foreach (var nodeType in _nodeTypes)
            await SpecSchemas.AssertValidAsync(SpecSchemas.NodeType, nodeType!.ToJsonString());
    }

    [Fact]
    public void Node_types_are_listed_once_each_in_id_order()
    {
        var ids = _nodeTypes.Select(Id).ToList();
        Assert.Equal(ids.Distinct().Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public void Each_sample_node_is_described_from_its_definition()
    {
        foreach (var definition in SampleNodes.Pack.Nodes)
        {
            var nodeType = Single(definition.NodeTypeId);
            Assert.Equal(definition.Version, nodeType["version"]!.GetValue<string>());
            Assert.Equal("atomic", nodeType["kind"]!.GetValue<string>());
            Assert.Equal(definition.Description, nodeType["description"]!.GetValue<string>());
            AssertJsonEqual(definition.InputSchema, nodeType["input_schema"]);
            AssertJsonEqual(definition.OutputSchema, nodeType["output_schema"]);
            AssertJsonEqual(new JsonObject { ["gates"] = new JsonObject { ["side_effect_class"] = "read" } }, nodeType["constraints"]);
        }
    }

    [Fact]
    public void Reverse_extensions_name_its_pack_name_side_effect_trust_tier_and_tags_exactly()
    {
        AssertJsonEqual(new JsonObject
        {
            ["jarvis.pack_id"] = "sample.text",
            ["jarvis.pack_version"] = "1.0.0",
            ["jarvis.node_name"] = "reverse",
            ["jarvis.side_effect"] = "read",
            ["jarvis.trust_tier"] = "community",
            ["jarvis.tags"] = new JsonArray("text", "sample"),
        }, Single(SampleNodes.Reverse)["extensions"]);
    }

    [Fact]
    public void The_actor_native_node_is_published_like_a_plain_one()
    {
        var extensions = Single(SampleNodes.CountWords)["extensions"]!;
        Assert.Equal("count_words", extensions["jarvis.node_name"]!.GetValue<string>());
        Assert.Equal("sample.text", extensions["jarvis.pack_id"]!.GetValue<string>());
        Assert.Equal("community", extensions["jarvis.trust_tier"]!.GetValue<string>());
    }

    [Fact]
    public void Web_fetch_publishes_the_operators_egress_policy()
    {
        AssertJsonEqual(new JsonObject
        {
            ["allowed_hosts"] = new JsonArray(AllowedHosts.Select(h => (JsonNode)h).ToArray()),
            ["blocked_hosts"] = new JsonArray(BlockedHosts.Select(h => (JsonNode)h).ToArray()),
            ["non_public_addresses"] = "exact_allow_only",
            ["timeout_seconds"] = TimeoutSeconds,
            ["max_bytes"] = MaxBytes,
        }, Single("jarvis.web.fetch")["extensions"]!["jarvis.egress_policy"]);
    }

    [Fact]
    public void Nodes_that_make_no_network_calls_publish_no_egress_policy()
    {
        var withoutNetwork = _nodeTypes.Where(n => Id(n).StartsWith("jarvis.core.", StringComparison.Ordinal)
                                                    || Id(n).StartsWith(SampleNodes.PackId + ".", StringComparison.Ordinal)).ToList();
        Assert.Contains(withoutNetwork, n => Id(n) == "jarvis.core.echo");
        Assert.Contains(withoutNetwork, n => Id(n) == SampleNodes.CountWords);
        Assert.All(withoutNetwork, n => Assert.False(n!["extensions"]!.AsObject().ContainsKey("jarvis.egress_policy"), Id(n)));
    }

    private static string Id(JsonNode? nodeType) => nodeType!["node_type_id"]!.GetValue<string>();

    private JsonNode Single(string nodeTypeId) => Assert.Single(_nodeTypes, n => Id(n) == nodeTypeId)!;

    private static void AssertJsonEqual(JsonNode expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\n     got {actual?.ToJsonString()}");
}
