using System.Text.Json.Nodes;

namespace Jarvis.Api.Contract.OpenApi;

/// <summary>
/// The ARP v1 schemas of what the executor reads and answers, as OpenAPI components named by the spec files' titles
/// (the spec's <c>error_detail</c> "Error" is <c>ErrorDetail</c> here), referring to each other as
/// <c>#/components/schemas/&lt;name&gt;</c>: a transcription of spec/v1/schemas common/{health, status, version_info,
/// error, error_detail, error_cause, metadata}, core/{node_run_state, node_kind, node_type} and
/// atomic_executor/node_runs/atomic_execute_result. The request and its parts are <see cref="ExecuteRequestSchema"/>,
/// whose <c>$defs</c> become components of their own. tests/Jarvis.Api.Tests checks every conformance vector of the
/// spec against both (OpenApiDocumentTests).
/// </summary>
internal static class ArpSchemaComponents
{
    private const string Answers = """
    {
      "AtomicExecuteResult": {
        "type": "object",
        "additionalProperties": false,
        "required": ["node_run_id", "state"],
        "properties": {
          "node_run_id": { "type": "string" },
          "state": { "$ref": "#/components/schemas/NodeRunState" },
          "outputs": { "type": "object", "additionalProperties": true },
          "output_artifacts": { "type": "array", "items": { "$ref": "#/components/schemas/ResourceRef" } },
          "started_at": { "type": "string", "format": "date-time" },
          "ended_at": { "type": "string", "format": "date-time" },
          "error": { "$ref": "#/components/schemas/ErrorDetail" },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      },
      "NodeRunState": { "type": "string", "enum": ["queued", "assigned", "running", "succeeded", "failed", "canceled"] },
      "ErrorEnvelope": {
        "type": "object",
        "additionalProperties": false,
        "required": ["error"],
        "properties": {
          "error": { "$ref": "#/components/schemas/ErrorDetail" },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      },
      "ErrorDetail": {
        "type": "object",
        "additionalProperties": false,
        "required": ["code", "message"],
        "properties": {
          "code": { "type": "string" },
          "message": { "type": "string" },
          "details": { "type": "object", "additionalProperties": true },
          "retryable": { "type": "boolean" },
          "cause": { "$ref": "#/components/schemas/ErrorCause" },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      },
      "ErrorCause": {
        "type": "object",
        "additionalProperties": false,
        "required": ["message"],
        "properties": {
          "code": { "type": "string" },
          "message": { "type": "string" },
          "details": { "type": "object", "additionalProperties": true },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      },
      "Health": {
        "type": "object",
        "additionalProperties": false,
        "required": ["status", "time"],
        "properties": {
          "status": { "$ref": "#/components/schemas/Status" },
          "time": { "type": "string", "format": "date-time" },
          "checks": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": ["name", "status"],
              "properties": {
                "name": { "type": "string" },
                "status": { "$ref": "#/components/schemas/Status" },
                "message": { "type": "string" },
                "details": { "type": "object", "additionalProperties": true }
              }
            }
          },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      },
      "Status": { "type": "string", "enum": ["ok", "degraded", "down"] },
      "VersionInfo": {
        "type": "object",
        "additionalProperties": false,
        "required": ["service_name", "service_version", "supported_api_versions"],
        "properties": {
          "service_name": { "type": "string" },
          "service_version": { "type": "string" },
          "supported_api_versions": { "type": "array", "items": { "type": "string" }, "minItems": 1 },
          "build": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "commit": { "type": "string" },
              "built_at": { "type": "string", "format": "date-time" },
              "dirty": { "type": "boolean" }
            }
          },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      },
      "NodeType": {
        "type": "object",
        "additionalProperties": false,
        "required": ["node_type_id", "version", "kind"],
        "properties": {
          "node_type_id": { "type": "string" },
          "version": { "type": "string" },
          "kind": { "$ref": "#/components/schemas/NodeKind" },
          "description": { "type": "string" },
          "input_schema": { "type": "object", "additionalProperties": true },
          "output_schema": { "type": "object", "additionalProperties": true },
          "constraints": { "$ref": "#/components/schemas/ConstraintEnvelope" },
          "evaluation": { "type": "object", "additionalProperties": true },
          "preferred_executor_types": { "type": "array", "items": { "type": "string" } },
          "metadata": { "$ref": "#/components/schemas/Metadata" },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      },
      "NodeKind": { "type": "string", "enum": ["atomic", "composite"] },
      "Metadata": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "labels": { "type": "object", "additionalProperties": { "type": "string" } },
          "annotations": { "type": "object", "additionalProperties": { "type": "string" } },
          "extensions": { "$ref": "#/components/schemas/Extensions" }
        }
      }
    }
    """;

    /// <summary>Every component, by name, as a fresh JSON object.</summary>
    public static IReadOnlyDictionary<string, JsonObject> All()
    {
        var all = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, schema) in JsonNode.Parse(Answers)!.AsObject()) all[name] = schema!.AsObject().DeepClone().AsObject();
        var request = JsonNode.Parse(ExecuteRequestSchema.Json)!.AsObject();
        var defs = request["$defs"]!.AsObject();
        request.Remove("$defs");
        foreach (var (name, schema) in defs) all[ComponentName(name)] = Hoisted(schema!.AsObject());
        all["AtomicExecuteRequest"] = Hoisted(request);
        return all;
    }

    /// <summary><c>node_type_ref</c> → <c>NodeTypeRef</c>.</summary>
    private static string ComponentName(string defName) =>
        string.Concat(defName.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>A copy whose <c>#/$defs/x</c> references point at the component that definition became.</summary>
    private static JsonObject Hoisted(JsonObject schema)
    {
        var copy = schema.DeepClone().AsObject();
        Rewrite(copy);
        return copy;
    }

    private static void Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target && target.StartsWith("#/$defs/", StringComparison.Ordinal))
                    obj["$ref"] = "#/components/schemas/" + ComponentName(target["#/$defs/".Length..]);
                foreach (var (_, child) in obj.ToList()) Rewrite(child);
                break;
            case JsonArray array:
                foreach (var item in array) Rewrite(item);
                break;
        }
    }
}
