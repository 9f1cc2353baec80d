using System.Text.Json.Nodes;
using Jarvis.NodePacks.Core;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Web;

/// <summary><c>jarvis.web.fetch</c>: one HTTP exchange through the egress guard, with the reference's
/// inputs and outputs. Non-2xx answers are results, not failures: the status is data for the caller.</summary>
public static class WebFetchNode
{
    public const string NodeTypeId = "jarvis.web.fetch";

    public static NodeDefinition Definition(EgressPolicy policy) => new()
    {
        NodeTypeId = NodeTypeId,
        Version = WebNodePack.PackVersion,
        Description = "Fetches a URL over http(s) through the executor's egress guard and returns the status, " +
                      "headers and body (base64). Redirects are followed hop by hop, each hop checked.",
        InputSchema = Schemas.Object($$$"""
            {"url": {"type": "string", "minLength": 1},
             "method": {"anyOf": [{"type": "null"}, {"type": "string", "enum": [{{{MethodNames}}}]}]},
             "headers": {"type": ["array", "null"], "items": {{{KeyValue}}}},
             "params": {"type": ["array", "null"], "items": {{{KeyValue}}}},
             "json": {"type": ["string", "null"]},
             "body": {"type": ["string", "null"]},
             "timeout_seconds": {"type": ["number", "null"], "exclusiveMinimum": 0},
             "max_bytes": {"type": ["integer", "null"], "minimum": 0},
             "follow_redirects": {"type": ["boolean", "null"]}}
            """, required: ["url"]),
        OutputSchema = Schemas.Object($$$"""
            {"status_code": {"type": "integer", "minimum": 100, "maximum": 999},
             "headers": {"type": "array", "items": {{{KeyValue}}}},
             "content_type": {"type": "string"},
             "content_base64": {"type": "string"},
             "final_url": {"type": "string"},
             "content_bytes": {"type": "integer", "minimum": 0}}
            """, required: ["status_code", "headers", "content_base64", "final_url", "content_bytes"]),
        SideEffect = SideEffect.Write,
        Egress = policy,
        Tags = ["web", "http"],
        Handler = (inputs, context, cancellation) =>
        {
            var guard = context.GetEgressGuard();
            return new WebFetcher(guard, context.EgressGuardedHttpClient()).FetchAsync(FetchRequest.From(inputs, guard.Policy), cancellation);
        },
    };

    /// <summary>Upper or lower case, as HTTP clients commonly accept.</summary>
    private static readonly string MethodNames =
        string.Join(", ", FetchRequest.Methods.SelectMany(m => new[] { $"\"{m}\"", $"\"{m.ToLowerInvariant()}\"" }));

    private const string KeyValue = """
        {"type": "object", "required": ["key", "value"], "additionalProperties": false,
         "properties": {"key": {"type": "string", "minLength": 1}, "value": {"type": "string"}}}
        """;
}
