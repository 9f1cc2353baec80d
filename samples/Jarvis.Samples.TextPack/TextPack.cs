using Jarvis.NodePacks.Sdk;

namespace Jarvis.Samples.TextPack;

/// <summary>The pack the executor finds in this assembly: public, with a parameterless constructor.</summary>
public sealed class TextPack : INodePack
{
    public string Id => "sample.text";
    public string Version => "1.0.0";
    public IReadOnlyList<NodeDefinition> Nodes { get; } = [ReverseNode.Definition, WordCountNode.Definition];
}
