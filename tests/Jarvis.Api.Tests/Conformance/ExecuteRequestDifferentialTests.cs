using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Conformance;

/// <summary>The server checks requests with its own transcription of atomic_execute_request.schema.json (and the files
/// it refers to). For each variation of a valid request, the spec file under NJsonSchema and the server (400 or not)
/// must both give the expected verdict.</summary>
public sealed class ExecuteRequestDifferentialTests
{
    /// <summary>Variations the spec accepts.</summary>
    private static readonly Dictionary<string, Action<JsonObject>> Accepted = new()
    {
        ["unchanged"] = _ => { },
        ["full run_context"] = r => r["run_context"] = JsonNode.Parse("""
            {"tenant_id":"t","actor":{"type":"user","id":"u1","uri":"https://example.com/u1","extensions":{"com.example.k":1}},
             "identity":{"any":"thing"},"trace":{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","request_id":"q"},
             "policy":{"p":[1]},"budgets":{"b":true},"extensions":{"org.example.x":null}}
            """),
        ["full constraints"] = r => r["constraints"] = JsonNode.Parse("""
            {"structural":{"max_depth":0,"max_children_per_composite":0,"max_total_nodes_per_run":0,"max_decomposition_rounds_per_node":0},
             "candidates":{"max_candidates_per_subtask":1,"allowed_node_type_ids":["a"],"denied_node_type_ids":[]},
             "budgets":{"max_wall_time_ms":60000,"max_steps":0,"max_external_calls":0,"max_cost":0.5},
             "gates":{"side_effect_class":"irreversible","require_approval":false},"extensions":{"com.example.c":{}}}
            """),
        ["top-level extensions"] = r => r["extensions"] = JsonNode.Parse("""{"com.example.a":1,"x.y":[]}"""),
        ["node_type_ref extensions"] = r => r["node_type_ref"]!["extensions"] = JsonNode.Parse("""{"com.example.a":"b"}"""),
        ["empty inputs"] = r => r["inputs"] = new JsonObject(),
        ["empty strings"] = r => { r["run_id"] = ""; r["node_type_ref"]!["version"] = ""; },
    };

    /// <summary>Variations the spec refuses.</summary>
    private static readonly Dictionary<string, Action<JsonObject>> Refused = new()
    {
        ["missing node_run_id"] = r => r.Remove("node_run_id"),
        ["missing run_id"] = r => r.Remove("run_id"),
        ["missing node_type_ref"] = r => r.Remove("node_type_ref"),
        ["missing inputs"] = r => r.Remove("inputs"),
        ["missing node_type_ref.node_type_id"] = r => r["node_type_ref"]!.AsObject().Remove("node_type_id"),
        ["missing node_type_ref.version"] = r => r["node_type_ref"]!.AsObject().Remove("version"),
        ["unknown top-level field"] = r => r["state"] = "queued",
        ["unknown node_type_ref field"] = r => r["node_type_ref"]!["kind"] = "atomic",
        ["node_run_id a number"] = r => r["node_run_id"] = 7,
        ["run_id null"] = r => r["run_id"] = null,
        ["version a number"] = r => r["node_type_ref"]!["version"] = 1,
        ["inputs an array"] = r => r["inputs"] = new JsonArray(),
        ["inputs a string"] = r => r["inputs"] = "{}",
        ["run_context unknown field"] = r => r["run_context"] = JsonNode.Parse("""{"tenant":"t"}"""),
        ["run_context.trace unknown field"] = r => r["run_context"] = JsonNode.Parse("""{"trace":{"parent_id":"x"}}"""),
        ["run_context.actor without id"] = r => r["run_context"] = JsonNode.Parse("""{"actor":{"type":"user"}}"""),
        ["run_context.actor.uri not a uri"] = r => r["run_context"] = JsonNode.Parse("""{"actor":{"type":"u","id":"1","uri":"not a uri"}}"""),
        ["extensions key without a dot"] = r => r["extensions"] = JsonNode.Parse("""{"nodot":1}"""),
        ["extensions key starting with a dot"] = r => r["extensions"] = JsonNode.Parse("""{".com.example":1}"""),
        ["extensions not an object"] = r => r["extensions"] = new JsonArray(),
        ["max_wall_time_ms negative"] = r => r["constraints"] = JsonNode.Parse("""{"budgets":{"max_wall_time_ms":-1}}"""),
        ["max_wall_time_ms fractional"] = r => r["constraints"] = JsonNode.Parse("""{"budgets":{"max_wall_time_ms":1.5}}"""),
        ["max_wall_time_ms a string"] = r => r["constraints"] = JsonNode.Parse("""{"budgets":{"max_wall_time_ms":"100"}}"""),
        ["max_cost negative"] = r => r["constraints"] = JsonNode.Parse("""{"budgets":{"max_cost":-0.1}}"""),
        ["budgets unknown field"] = r => r["constraints"] = JsonNode.Parse("""{"budgets":{"max_tokens":5}}"""),
        ["side_effect_class unknown"] = r => r["constraints"] = JsonNode.Parse("""{"gates":{"side_effect_class":"delete"}}"""),
        ["max_candidates_per_subtask zero"] = r => r["constraints"] = JsonNode.Parse("""{"candidates":{"max_candidates_per_subtask":0}}"""),
        ["allowed_node_type_ids of numbers"] = r => r["constraints"] = JsonNode.Parse("""{"candidates":{"allowed_node_type_ids":[1]}}"""),
        ["structural max_depth negative"] = r => r["constraints"] = JsonNode.Parse("""{"structural":{"max_depth":-1}}"""),
        ["constraints unknown section"] = r => r["constraints"] = JsonNode.Parse("""{"quotas":{}}"""),
    };

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Accepted.Keys) data.Add(name, true);
        foreach (var name in Refused.Keys) data.Add(name, false);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Server_and_spec_schema_agree_on_the_request(string variation, bool valid)
    {
        var request = new JsonObject
        {
            ["node_run_id"] = ExecuteRequests.NewId(),
            ["run_id"] = "r",
            ["node_type_ref"] = new JsonObject { ["node_type_id"] = "jarvis.core.echo", ["version"] = "0.3.8" },
            ["inputs"] = new JsonObject { ["echo"] = "hi" },
        };
        (valid ? Accepted : Refused)[variation](request);
        var json = request.ToJsonString();
        var specErrors = await SpecSchemas.ErrorsAsync(SpecSchemas.ExecuteRequest, json);
        Assert.True(valid == (specErrors.Count == 0), $"NJsonSchema's verdict on the spec file is not the expected one: {string.Join("; ", specErrors)}\nrequest: {json}");
        await using var server = await ExecutorServer.StartAsync();

        var response = await server.Client.ExecuteAsync(json);
        var body = await response.Content.ReadAsStringAsync();

        if (valid)
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"the spec accepts this request but the server answered {(int)response.StatusCode}: {body}\nrequest: {json}");
        else
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
                $"the spec refuses this request ({string.Join("; ", specErrors)}) but the server answered {(int)response.StatusCode}: {body}\nrequest: {json}");
    }
}
