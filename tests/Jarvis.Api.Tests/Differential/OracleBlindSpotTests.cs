using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Differential;

/// <summary>Requests the differential test cannot put to its oracle, with the answer derived by hand from the schema.
/// NJsonSchema 11.6.2 (through Newtonsoft) throws on integers outside Int64, compares numbers as decimals (so -1e-30
/// passes <c>minimum: 0</c>), and accepts strings that are not Unicode text, which the service refuses as JSON.</summary>
public sealed class OracleBlindSpotTests
{
    private const string ExecutePath = "/v1/atomic-node-runs:execute";
    private static readonly string Huge = "1" + new string('0', 400);

    /// <summary>(what, body with <c>{id}</c> where the node_run_id goes, expected status).</summary>
    private static readonly (string What, byte[] Body, HttpStatusCode Expected)[] Cases =
    [
        ("integer 10^400 is an integer >= 0", Budgets("max_steps", Huge), HttpStatusCode.OK),
        ("integer -10^400 is below minimum 0", Budgets("max_steps", "-" + Huge), HttpStatusCode.BadRequest),
        ("integer beyond Int64 is an integer >= 0", Budgets("max_steps", "12345678901234567890"), HttpStatusCode.OK),
        ("integer beyond Int64 as wall time", Budgets("max_wall_time_ms", "12345678901234567890"), HttpStatusCode.OK),
        ("negative integer beyond Int64", Budgets("max_external_calls", "-12345678901234567890"), HttpStatusCode.BadRequest),
        ("number 10^400 is >= 0", Budgets("max_cost", Huge), HttpStatusCode.OK),
        ("number -10^400 is below minimum 0", Budgets("max_cost", "-" + Huge), HttpStatusCode.BadRequest),
        ("number -1e-30 is below minimum 0", Budgets("max_cost", "-1e-30"), HttpStatusCode.BadRequest),
        ("escaped lone high surrogate in a schema string", Request("""
            "run_context":{"tenant_id":"\ud800"},"inputs":{"echo":"x"}
            """), HttpStatusCode.BadRequest),
        ("escaped lone low surrogate in node inputs", Request("""
            "inputs":{"echo":"\udc00x"}
            """), HttpStatusCode.BadRequest),
        ("escaped lone surrogate in an extension key", Request("""
            "inputs":{"echo":"x"},"extensions":{"a.\ud800":1}
            """), HttpStatusCode.BadRequest),
        ("escaped lone surrogate in a free-form key", Request("""
            "inputs":{"echo":"x"},"run_context":{"identity":{"\ud800":"v"}}
            """), HttpStatusCode.BadRequest),
        ("escaped surrogate pair is text", Request("""
            "inputs":{"echo":"\ud83d\ude00"},"run_context":{"tenant_id":"\ud83d\ude00"}
            """), HttpStatusCode.OK),
        ("extension key ending in a newline: ECMA-262 '$' is end of input", Request("""
            "inputs":{"echo":"x"},"extensions":{"a.b\n":1}
            """), HttpStatusCode.BadRequest),
        ("byte 0xFF in a string is not UTF-8", Raw([0xFF]), HttpStatusCode.BadRequest),
        ("truncated UTF-8 sequence in a string", Raw([0xC3]), HttpStatusCode.BadRequest),
        ("UTF-8-encoded surrogate (CESU) in a string", Raw([0xED, 0xA0, 0x80]), HttpStatusCode.BadRequest),
        ("raw UTF-8 é in a string is text", Raw([0xC3, 0xA9]), HttpStatusCode.OK),
        ("duplicate key (Newtonsoft keeps the last one; the service refuses)", Request("""
            "inputs":{"echo":"x"},"run_id":"again"
            """), HttpStatusCode.BadRequest),
    ];

    [Fact]
    public async Task Requests_outside_the_oracles_reach_get_the_answer_the_schema_implies()
    {
        await using var server = await ExecutorServer.StartAsync();
        var failures = new List<string>();
        for (var i = 0; i < Cases.Length; i++)
        {
            var (what, template, expected) = Cases[i];
            var body = Replace(template, "{id}", $"blind-{i}");
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await server.Client.PostAsync(ExecutePath, content);
            var text = await response.Content.ReadAsStringAsync();
            var code = response.StatusCode == HttpStatusCode.BadRequest ? JsonNode.Parse(text)?["error"]?["code"]?.GetValue<string>() : null;
            if (response.StatusCode != expected || (expected == HttpStatusCode.BadRequest && code != "invalid_request"))
                failures.Add($"{what}: expected {(int)expected}, got {(int)response.StatusCode} {text}\n  request: {Encoding.UTF8.GetString(body)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static byte[] Budgets(string field, string literal) =>
        Request("\"inputs\":{\"echo\":\"x\"},\"constraints\":{\"budgets\":{\"" + field + "\":" + literal + "}}");

    /// <summary>A request with the required fields and <paramref name="rest"/> (raw JSON members) after them.</summary>
    private static byte[] Request(string rest) => Encoding.UTF8.GetBytes(
        """{"node_run_id":"{id}","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},""" + rest.Trim() + "}");

    /// <summary>A request whose inputs.echo string holds <paramref name="bytes"/> as they are.</summary>
    private static byte[] Raw(byte[] bytes)
    {
        var parts = Encoding.UTF8.GetString(Request("""
            "inputs":{"echo":"<>"}
            """)).Split("<>");
        return [.. Encoding.UTF8.GetBytes(parts[0]), .. bytes, .. Encoding.UTF8.GetBytes(parts[1])];
    }

    private static byte[] Replace(byte[] body, string placeholder, string value)
    {
        var at = body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(placeholder));
        return [.. body.AsSpan(0, at), .. Encoding.UTF8.GetBytes(value), .. body.AsSpan(at + placeholder.Length)];
    }
}
