namespace Jarvis.NodePacks.Sdk;

/// <summary>An assembly's set of nodes. Packs found in JARVIS_NODEPACKS_PATH are created
/// through their public parameterless constructor.</summary>
public interface INodePack
{
    string Name { get; }
    string Version { get; }
    IReadOnlyList<NodeDefinition> Nodes { get; }
}
