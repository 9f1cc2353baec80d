using System.Globalization;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Samples.TextPack;

/// <summary>A plain node: an async function from inputs to outputs. The executor has already checked the
/// inputs against <c>InputSchema</c> when it runs, and checks the outputs against <c>OutputSchema</c> after.</summary>
public static class ReverseNode
{
    public static readonly NodeDefinition Definition = new()
    {
        NodeTypeId = "sample.text.reverse",
        Version = "1.0.0",
        Description = "Reverses `text` by grapheme (so accents and emoji stay whole).",
        InputSchema = (JsonObject)JsonNode.Parse("""
            {"type": "object", "required": ["text"], "additionalProperties": false,
             "properties": {"text": {"type": "string", "maxLength": 100000}}}
            """)!,
        OutputSchema = (JsonObject)JsonNode.Parse("""
            {"type": "object", "required": ["reversed"], "additionalProperties": false,
             "properties": {"reversed": {"type": "string"}}}
            """)!,
        SideEffect = SideEffect.Read,
        TrustTier = TrustTier.Community,
        Tags = ["text", "sample"],
        Handler = (inputs, _, _) => ValueTask.FromResult(new JsonObject { ["reversed"] = Reverse(inputs["text"]!.GetValue<string>()) }),
    };

    private static string Reverse(string text)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext()) elements.Add(enumerator.GetTextElement());
        elements.Reverse();
        return string.Concat(elements);
    }
}
