using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Core;

/// <summary>The built-in <c>jarvis.core.*</c> nodes, with the reference pack's ids, inputs and outputs.</summary>
public sealed class CoreNodePack : INodePack
{
    public const string PackVersion = "0.3.8";

    public string Id => "jarvis.core";
    public string Version => PackVersion;

    public IReadOnlyList<NodeDefinition> Nodes { get; } =
        [EchoNode.Definition, SleepNode.Definition, Uuid4Node.Definition, TimeNowNode.Definition, Sha256Node.Definition];
}
