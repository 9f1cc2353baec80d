using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Web;

/// <summary>The built-in <c>jarvis.web.*</c> nodes. Their egress policy is the operator's (JARVIS_ATOMIC_HTTP_*),
/// so the pack is built by the host with it rather than found on disk.</summary>
public sealed class WebNodePack(EgressPolicy policy) : INodePack
{
    public const string PackVersion = "0.3.8";

    public string Id => "jarvis.web";
    public string Version => PackVersion;
    public IReadOnlyList<NodeDefinition> Nodes { get; } = [WebFetchNode.Definition(policy)];
}
