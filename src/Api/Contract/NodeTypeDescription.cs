using System.Text.Json.Nodes;
using Jarvis.Actors.Registry;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Contract;

/// <summary>An installed node as an ARP <c>NodeType</c>, with what a Node Registry needs beyond the spec's
/// fields under namespaced <c>extensions</c> keys.</summary>
public static class NodeTypeDescription
{
    /// <summary>Every installed node, ordered by node_type_id: what <c>GET /v1/node-types</c> and the CLI print.</summary>
    public static IReadOnlyList<NodeType> All(IEnumerable<NodeRegistration> registrations) =>
        registrations.OrderBy(n => n.Definition.NodeTypeId, StringComparer.Ordinal).Select(Of).ToList();

    public static NodeType Of(NodeRegistration registration)
    {
        var node = registration.Definition;
        var extensions = new JsonObject
        {
            ["jarvis.pack_id"] = registration.PackId,
            ["jarvis.pack_version"] = registration.PackVersion,
            ["jarvis.node_name"] = node.NameIn(registration.PackId),
            ["jarvis.side_effect"] = SnakeCase(node.SideEffect),
            ["jarvis.trust_tier"] = SnakeCase(node.TrustTier),
        };
        if (node.Egress is { } egress) extensions["jarvis.egress_policy"] = Describe(egress);
        if (node.Tags.Count > 0) extensions["jarvis.tags"] = new JsonArray(node.Tags.Select(t => (JsonNode)t).ToArray());
        return new NodeType(node.NodeTypeId, node.Version, "atomic", node.Description,
            (JsonObject)node.InputSchema.DeepClone(), (JsonObject)node.OutputSchema.DeepClone(),
            new JsonObject { ["gates"] = new JsonObject { ["side_effect_class"] = SnakeCase(node.SideEffect) } },
            extensions);
    }

    private static JsonObject Describe(EgressPolicy egress) => new()
    {
        ["allowed_hosts"] = new JsonArray(egress.AllowedHosts.Select(h => (JsonNode)h).ToArray()),
        ["blocked_hosts"] = new JsonArray(egress.BlockedHosts.Select(h => (JsonNode)h).ToArray()),
        // Loopback, private, link-local, metadata... are reachable only through an exact allowed_hosts entry.
        ["non_public_addresses"] = "exact_allow_only",
        ["timeout_seconds"] = egress.Timeout.TotalSeconds,
        ["max_bytes"] = egress.MaxResponseBytes,
    };

    private static string SnakeCase<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
