namespace Jarvis.Api.Contract;

/// <summary>
/// ARP v1 <c>AtomicExecuteRequest</c> with its references inlined as <c>$defs</c>: a transcription of
/// <c>spec/v1/schemas/atomic_executor/node_runs/atomic_execute_request.schema.json</c> and the files it refers to.
/// The differential test in tests/Jarvis.Api.Tests checks it against the spec files themselves.
/// </summary>
internal static class ExecuteRequestSchema
{
    public const string Json = """
    {
      "type": "object",
      "additionalProperties": false,
      "required": ["node_run_id", "run_id", "node_type_ref", "inputs"],
      "properties": {
        "node_run_id": { "type": "string" },
        "run_id": { "type": "string" },
        "node_type_ref": { "$ref": "#/$defs/node_type_ref" },
        "inputs": { "type": "object", "additionalProperties": true },
        "run_context": { "$ref": "#/$defs/run_context" },
        "constraints": { "$ref": "#/$defs/constraint_envelope" },
        "extensions": { "$ref": "#/$defs/extensions" }
      },
      "$defs": {
        "extensions": {
          "type": "object",
          "patternProperties": { "^[A-Za-z0-9][A-Za-z0-9_.-]*\\.[A-Za-z0-9_.-]+$": {} },
          "additionalProperties": false
        },
        "node_type_ref": {
          "type": "object",
          "additionalProperties": false,
          "required": ["node_type_id", "version"],
          "properties": {
            "node_type_id": { "type": "string" },
            "version": { "type": "string" },
            "extensions": { "$ref": "#/$defs/extensions" }
          }
        },
        "resource_ref": {
          "type": "object",
          "additionalProperties": false,
          "required": ["type", "id"],
          "properties": {
            "type": { "type": "string" },
            "id": { "type": "string" },
            "uri": { "type": "string", "format": "uri" },
            "extensions": { "$ref": "#/$defs/extensions" }
          }
        },
        "run_context": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "tenant_id": { "type": "string" },
            "actor": { "$ref": "#/$defs/resource_ref" },
            "identity": { "type": "object", "additionalProperties": true },
            "trace": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "trace_id": { "type": "string" },
                "span_id": { "type": "string" },
                "request_id": { "type": "string" }
              }
            },
            "policy": { "type": "object", "additionalProperties": true },
            "budgets": { "type": "object", "additionalProperties": true },
            "extensions": { "$ref": "#/$defs/extensions" }
          }
        },
        "constraint_envelope": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "structural": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "max_depth": { "type": "integer", "minimum": 0 },
                "max_children_per_composite": { "type": "integer", "minimum": 0 },
                "max_total_nodes_per_run": { "type": "integer", "minimum": 0 },
                "max_decomposition_rounds_per_node": { "type": "integer", "minimum": 0 }
              }
            },
            "candidates": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "max_candidates_per_subtask": { "type": "integer", "minimum": 1 },
                "allowed_node_type_ids": { "type": "array", "items": { "type": "string" } },
                "denied_node_type_ids": { "type": "array", "items": { "type": "string" } }
              }
            },
            "budgets": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "max_wall_time_ms": { "type": "integer", "minimum": 0 },
                "max_steps": { "type": "integer", "minimum": 0 },
                "max_external_calls": { "type": "integer", "minimum": 0 },
                "max_cost": { "type": "number", "minimum": 0 }
              }
            },
            "gates": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "side_effect_class": { "type": "string", "enum": ["read", "write", "irreversible"] },
                "require_approval": { "type": "boolean" }
              }
            },
            "extensions": { "$ref": "#/$defs/extensions" }
          }
        }
      }
    }
    """;
}
