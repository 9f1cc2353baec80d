using System.Text.Json.Nodes;

namespace Jarvis.Api.Tests.Differential;

/// <summary>Valid AtomicExecuteRequests the generator starts from: one that sets every optional field at every
/// level, and minimal ones. All run <c>jarvis.core.echo</c> so that accepted requests finish at once.</summary>
internal static class RequestTemplates
{
    public const string EchoVersion = "0.3.8";

    public static IReadOnlyList<(string Name, JsonObject Request)> All { get; } =
    [
        ("rich", Parse(Rich)),
        ("minimal", Parse(Minimal)),
        ("empty-optionals", Parse(EmptyOptionals)),
    ];

    /// <summary>Every optional field of the request, its run_context, constraints and node_type_ref.</summary>
    private const string Rich = """
    {
      "node_run_id": "placeholder",
      "run_id": "run-rich",
      "node_type_ref": {
        "node_type_id": "jarvis.core.echo",
        "version": "0.3.8",
        "extensions": { "com.example.ref": "v" }
      },
      "inputs": { "echo": "x" },
      "run_context": {
        "tenant_id": "tenant-1",
        "actor": {
          "type": "user",
          "id": "u-1",
          "uri": "https://example.com/users/u-1",
          "extensions": { "com.example.actor": { "k": 1 } }
        },
        "identity": { "sub": "u-1", "roles": ["reader"] },
        "trace": {
          "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
          "span_id": "00f067aa0ba902b7",
          "request_id": "req-1"
        },
        "policy": { "mode": "strict" },
        "budgets": { "tokens": 100 },
        "extensions": { "org.example.ctx": true }
      },
      "constraints": {
        "structural": {
          "max_depth": 3,
          "max_children_per_composite": 4,
          "max_total_nodes_per_run": 50,
          "max_decomposition_rounds_per_node": 2
        },
        "candidates": {
          "max_candidates_per_subtask": 5,
          "allowed_node_type_ids": ["jarvis.core.echo"],
          "denied_node_type_ids": ["jarvis.core.sleep"]
        },
        "budgets": {
          "max_wall_time_ms": 30000,
          "max_steps": 10,
          "max_external_calls": 0,
          "max_cost": 1.5
        },
        "gates": { "side_effect_class": "read", "require_approval": false },
        "extensions": { "com.example.constraints": [1, 2] }
      },
      "extensions": { "com.example.top": "v", "io.jarvis.flag": null }
    }
    """;

    private const string Minimal = """
    {
      "node_run_id": "placeholder",
      "run_id": "run-minimal",
      "node_type_ref": { "node_type_id": "jarvis.core.echo", "version": "0.3.8" },
      "inputs": { "echo": "x" }
    }
    """;

    /// <summary>Every optional object present but empty, so fields can be added to each of them.</summary>
    private const string EmptyOptionals = """
    {
      "node_run_id": "placeholder",
      "run_id": "run-empty",
      "node_type_ref": { "node_type_id": "jarvis.core.echo", "version": "0.3.8", "extensions": {} },
      "inputs": { "echo": "x" },
      "run_context": {
        "actor": { "type": "service", "id": "svc" },
        "identity": {}, "trace": {}, "policy": {}, "budgets": {}, "extensions": {}
      },
      "constraints": {
        "structural": {}, "candidates": {}, "budgets": {}, "gates": {}, "extensions": {}
      },
      "extensions": {}
    }
    """;

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;
}
