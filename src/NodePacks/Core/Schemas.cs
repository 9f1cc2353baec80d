using System.Text.Json.Nodes;

namespace Jarvis.NodePacks.Core;

internal static class Schemas
{
    /// <summary>A closed object schema: the given properties, nothing else.</summary>
    public static JsonObject Object(string propertiesJson, string[]? required = null)
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = JsonNode.Parse(propertiesJson),
            ["additionalProperties"] = false,
        };
        if (required is { Length: > 0 }) schema["required"] = new JsonArray(required.Select(r => (JsonNode)r!).ToArray());
        return schema;
    }
}
