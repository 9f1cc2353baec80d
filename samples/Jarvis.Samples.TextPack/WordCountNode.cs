using System.Text.Json.Nodes;
using Akka.Actor;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Samples.TextPack;

/// <summary>An actor-native node: instead of a handler it gives Props. The executor starts one actor per run,
/// sends it <see cref="RunNode"/> once, and stops it when the run ends, times out or is canceled.</summary>
public static class WordCountNode
{
    public static readonly NodeDefinition Definition = new()
    {
        NodeTypeId = "sample.text.count_words",
        Version = "1.0.0",
        Description = "Counts the words in each of `texts`, processing them one message at a time.",
        InputSchema = (JsonObject)JsonNode.Parse("""
            {"type": "object", "required": ["texts"], "additionalProperties": false,
             "properties": {"texts": {"type": "array", "items": {"type": "string"}, "maxItems": 1000}}}
            """)!,
        OutputSchema = (JsonObject)JsonNode.Parse("""
            {"type": "object", "required": ["counts", "total"], "additionalProperties": false,
             "properties": {"counts": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                            "total": {"type": "integer", "minimum": 0}}}
            """)!,
        TrustTier = TrustTier.Community,
        Tags = ["text", "sample"],
        ActorProps = Props.Create<WordCountActor>(),
    };
}

/// <summary>Counts one text per message to itself, so a long list never holds the actor's thread for long
/// and a stop (cancel, deadline) takes effect between texts.</summary>
public sealed class WordCountActor : ReceiveActor
{
    private sealed record CountNext(int Index);

    private IActorRef? _requester;
    private JsonArray _texts = [];
    private readonly List<int> _counts = [];

    public WordCountActor()
    {
        Receive<RunNode>(run =>
        {
            if (_requester is not null) return;
            _requester = Sender;
            _texts = run.Inputs["texts"]!.AsArray();
            Self.Tell(new CountNext(0));
        });
        Receive<CountNext>(next =>
        {
            if (next.Index == _texts.Count)
            {
                _requester!.Tell(new NodeSucceeded(new JsonObject
                {
                    ["counts"] = new JsonArray(_counts.Select(c => (JsonNode)c).ToArray()),
                    ["total"] = _counts.Sum(),
                }));
                return;
            }
            var text = _texts[next.Index]!.GetValue<string>();
            _counts.Add(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
            Self.Tell(new CountNext(next.Index + 1));
        });
    }
}
