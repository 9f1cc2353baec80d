namespace Jarvis.NodePacks.Sdk;

/// <summary>An assembly's set of nodes, published under one pack id and version. Packs found in
/// JARVIS_NODEPACKS_PATH are created through their public parameterless constructor.</summary>
public interface INodePack
{
    /// <summary>Reverse-DNS style, e.g. <c>jarvis.core</c>; node ids usually start with it.</summary>
    string Id { get; }
    string Version { get; }
    IReadOnlyList<NodeDefinition> Nodes { get; }
}
