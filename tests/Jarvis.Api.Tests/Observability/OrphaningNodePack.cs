using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.Observability;

/// <summary>A node whose handler ignores its CancellationToken until the test releases it: abandoned at its deadline,
/// it keeps running and is counted as orphaned.</summary>
public sealed class OrphaningNodePack : INodePack
{
    public const string IgnoresCancel = "test.ignores_cancel";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id => "test.orphaning";
    public string Version => "1.0.0";

    public IReadOnlyList<NodeDefinition> Nodes =>
    [
        new()
        {
            NodeTypeId = IgnoresCancel,
            Version = "1.0.0",
            Description = "waits for the test, whatever its token says",
            InputSchema = new JsonObject { ["type"] = "object" },
            OutputSchema = new JsonObject { ["type"] = "object" },
            Handler = async (_, _, _) =>
            {
                await _release.Task;
                return new JsonObject();
            },
        },
    ];

    public void Release() => _release.TrySetResult();
}
