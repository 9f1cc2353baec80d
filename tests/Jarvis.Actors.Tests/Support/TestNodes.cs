using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Tests.Support;

/// <summary>
/// A node pack whose handlers the test controls; every handler writes to <see cref="Log"/>.
/// One instance per test, so counts and gates never leak between tests.
/// </summary>
public sealed class TestNodes
{
    /// <summary>Honours its token; returns when its invocation is released.</summary>
    public const string Gated = "test.gated";
    /// <summary>Ignores its token; returns only when its invocation is released (an orphan once abandoned).</summary>
    public const string Stubborn = "test.stubborn";
    /// <summary>Blocks its thread synchronously, ignoring its token, until its invocation is released.</summary>
    public const string Blocking = "test.blocking";
    /// <summary>Returns <c>{"value": inputs.value}</c> at once.</summary>
    public const string Instant = "test.instant";
    /// <summary>Throws an exception carrying <see cref="SecretFailure"/>.</summary>
    public const string Throwing = "test.throwing";
    /// <summary>Throws <see cref="InvalidNodeInputsException"/>.</summary>
    public const string RejectsInputs = "test.rejects_inputs";
    /// <summary>Returns <c>{"count": "seven"}</c>, violating its output_schema (count integer, label required).</summary>
    public const string BadOutputs = "test.bad_outputs";
    /// <summary>Custom actor node whose actor throws on <see cref="RunNode"/>.</summary>
    public const string Crashing = "test.crashing";
    /// <summary>Moves <c>inputs.value</c> into its outputs (detaching it from the inputs, as handlers may).</summary>
    public const string MovesInputs = "test.moves_inputs";
    /// <summary>Strict input_schema: name (non-empty string) and count (integer >= 0) required, nothing else.</summary>
    public const string Strict = "test.strict";

    public const string SecretFailure = "secret-internal-detail: connection string xyz";
    public const string PackName = "test.pack";

    public HandlerLog Log { get; } = new();

    public INodePack Pack => new TestPack(PackName,
    [
        Node(Gated, GatedHandler(cooperative: true)),
        Node(Stubborn, GatedHandler(cooperative: false)),
        Node(Blocking, BlockingHandler),
        Node(Instant, InstantHandler),
        Node(Throwing, ThrowingHandler),
        Node(RejectsInputs, RejectingHandler),
        Node(BadOutputs, BadOutputsHandler) with
        {
            OutputSchema = Json.Object("""
                {"type": "object", "properties": {"count": {"type": "integer"}, "label": {"type": "string"}},
                 "required": ["count", "label"]}
                """),
        },
        Node(MovesInputs, MovingHandler),
        Node(Crashing, handler: null) with { ActorProps = CrashingNodeActor.Props(Log) },
        Node(Strict, InstantHandler) with
        {
            InputSchema = Json.Object("""
                {"type": "object",
                 "properties": {"name": {"type": "string", "minLength": 1}, "count": {"type": "integer", "minimum": 0}},
                 "required": ["name", "count"], "additionalProperties": false}
                """),
        },
    ]);

    public static NodeDefinition Node(string nodeTypeId, NodeHandler? handler) => new()
    {
        NodeTypeId = nodeTypeId,
        Version = "1.0.0",
        Description = "test node " + nodeTypeId,
        InputSchema = new JsonObject { ["type"] = "object" },
        OutputSchema = new JsonObject { ["type"] = "object" },
        Handler = handler,
    };

    private NodeHandler GatedHandler(bool cooperative) => async (inputs, context, cancellation) =>
    {
        var invocation = Log.Started(context.NodeRunId, inputs, context, cancellation);
        try
        {
            return cooperative ? await invocation.Gate.WaitAsync(cancellation) : await invocation.Gate;
        }
        finally
        {
            Log.Ended(context.NodeRunId);
        }
    };

    private ValueTask<JsonObject> BlockingHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation)
    {
        var invocation = Log.Started(context.NodeRunId, inputs, context, cancellation);
        try
        {
            invocation.Gate.Wait(); // deliberately synchronous and deaf to the token
            return new ValueTask<JsonObject>(invocation.Gate);
        }
        finally
        {
            Log.Ended(context.NodeRunId);
        }
    }

    private ValueTask<JsonObject> InstantHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation)
    {
        var invocation = Log.Started(context.NodeRunId, inputs, context, cancellation);
        var outputs = new JsonObject { ["value"] = inputs["value"]?.DeepClone() };
        invocation.Returned = new WeakReference(outputs);
        Log.Ended(context.NodeRunId);
        return ValueTask.FromResult(outputs);
    }

    private ValueTask<JsonObject> MovingHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation)
    {
        Log.Started(context.NodeRunId, inputs, context, cancellation);
        Log.Ended(context.NodeRunId);
        var value = inputs["value"];
        inputs.Remove("value");
        return ValueTask.FromResult(new JsonObject { ["value"] = value });
    }

    private ValueTask<JsonObject> ThrowingHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation)
    {
        Log.Started(context.NodeRunId, inputs, context, cancellation);
        Log.Ended(context.NodeRunId);
        throw new InvalidOperationException(SecretFailure);
    }

    private async ValueTask<JsonObject> RejectingHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation)
    {
        Log.Started(context.NodeRunId, inputs, context, cancellation);
        Log.Ended(context.NodeRunId);
        await Task.Yield();
        throw new InvalidNodeInputsException("'path' must name an existing file");
    }

    private ValueTask<JsonObject> BadOutputsHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation)
    {
        Log.Started(context.NodeRunId, inputs, context, cancellation);
        Log.Ended(context.NodeRunId);
        return ValueTask.FromResult(new JsonObject { ["count"] = "seven" });
    }
}

public sealed class TestPack(string name, IReadOnlyList<NodeDefinition> nodes) : INodePack
{
    public string Id { get; } = name;
    public string Version => "1.0.0";
    public IReadOnlyList<NodeDefinition> Nodes { get; } = nodes;
}

public static class Json
{
    public static JsonObject Object(string json) => (JsonObject)JsonNode.Parse(json)!;
}
