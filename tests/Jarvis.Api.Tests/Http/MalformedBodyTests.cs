using System.Net;
using System.Text;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>Bodies that are not an AtomicExecuteRequest: each a 400 invalid_request envelope, never a 500.</summary>
public sealed class MalformedBodyTests
{
    private const string Valid = """{"node_run_id":"n","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"hi"}}""";

    private static readonly Dictionary<string, byte[]> Bodies = new()
    {
        ["empty"] = [],
        ["whitespace only"] = "  \n\t "u8.ToArray(),
        ["truncated object"] = Encoding.UTF8.GetBytes(Valid[..40]),
        ["not JSON at all"] = "hello"u8.ToArray(),
        ["single quotes"] = "{'node_run_id':'n'}"u8.ToArray(),
        ["trailing comma"] = Encoding.UTF8.GetBytes(Valid[..^1] + ",}"),
        ["comment"] = Encoding.UTF8.GetBytes("/* c */" + Valid),
        ["trailing garbage"] = Encoding.UTF8.GetBytes(Valid + " x"),
        ["two documents"] = Encoding.UTF8.GetBytes(Valid + Valid),
        ["invalid UTF-8 in a string"] = [.. "{\"node_run_id\":\""u8, 0xFF, 0xFE, 0xC3, .. "\",\"run_id\":\"r\",\"node_type_ref\":{\"node_type_id\":\"jarvis.core.echo\",\"version\":\"0.3.8\"},\"inputs\":{}}"u8],
        ["overlong UTF-8"] = [.. "{\"node_run_id\":\""u8, 0xC0, 0xAF, .. "\"}"u8],
        ["stray continuation byte before the object"] = [0x80, .. Encoding.UTF8.GetBytes(Valid)],
        ["lone surrogate escape in node_run_id"] = Encoding.UTF8.GetBytes(Valid.Replace("\"n\"", "\"\\uD800\"")),
        ["lone surrogate escape in inputs"] = Encoding.UTF8.GetBytes(Valid.Replace("\"hi\"", "\"a\\uDC00b\"")),
        ["lone surrogate escape in a key"] = Encoding.UTF8.GetBytes(Valid.Replace("\"echo\"", "\"\\uD800\"")),
        ["array nested 100000 deep"] = Encoding.ASCII.GetBytes(new string('[', 100_000) + new string(']', 100_000)),
        ["array nested 100000 deep, unclosed"] = Encoding.ASCII.GetBytes(new string('[', 100_000)),
        ["object nested 100000 deep inside inputs"] = Encoding.ASCII.GetBytes(
            Valid[..^2] + "," + "\"deep\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100_000)) + "1" + new string('}', 100_000) + "}}"),
    };

    public static TheoryData<string> Cases => new(Bodies.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_body_is_400_invalid_request(string name)
    {
        await using var server = await ExecutorServer.StartAsync();

        var response = await server.Client.PostBytesAsync(ExecuteRequests.ExecutePath, Bodies[name], "application/json");

        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("still serving")), "succeeded");
    }

    [Theory]
    [InlineData("""{"node_run_id":"a","node_run_id":"b","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"hi"}}""")]
    [InlineData("""{"node_run_id":"a","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","node_type_id":"jarvis.core.sleep","version":"0.3.8"},"inputs":{}}""")]
    [InlineData("""{"node_run_id":"a","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"hi","echo":"ho"}}""")]
    [InlineData("""{"node_run_id":"a","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"hi"},"inputs":{"echo":"hi"}}""")]
    public async Task Duplicate_keys_are_400_invalid_request(string json)
    {
        await using var server = await ExecutorServer.StartAsync();
        var error = await HttpAssert.ErrorAsync(await server.Client.ExecuteAsync(json), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("duplicate", error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"node_run_id\":\"n\"}]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public async Task Top_level_non_object_is_400_naming_the_root(string json)
    {
        await using var server = await ExecutorServer.StartAsync();
        var error = await HttpAssert.ErrorAsync(await server.Client.ExecuteAsync(json), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("$", HttpAssert.SchemaErrors(error).Select(e => e.Path));
    }

    [Theory]
    [InlineData("""{"node_run_id":"n","run_id":"r","node_type_ref":{"node_type_id":"x","version":1},"inputs":{}}""", "$.node_type_ref.version")]
    [InlineData("""{"node_run_id":"n","run_id":"r","node_type_ref":{"node_type_id":"x","version":"1"},"inputs":[]}""", "$.inputs")]
    [InlineData("""{"node_run_id":null,"run_id":"r","node_type_ref":{"node_type_id":"x","version":"1"},"inputs":{}}""", "$.node_run_id")]
    [InlineData("""{"node_run_id":"n","run_id":"r","node_type_ref":{"node_type_id":"x","version":"1"},"inputs":{},"constraints":null}""", "$.constraints")]
    [InlineData("""{"node_run_id":"n","run_id":"r","node_type_ref":{"node_type_id":"x","version":"1"},"inputs":{},"constraints":{"budgets":{"max_wall_time_ms":-1}}}""", "$.constraints.budgets.max_wall_time_ms")]
    [InlineData("""{"node_run_id":"n","run_id":"r","node_type_ref":{"node_type_id":"x","version":"1"},"inputs":{},"surprise":true}""", "$.surprise")]
    public async Task Schema_violation_is_400_naming_the_json_path(string json, string path)
    {
        await using var server = await ExecutorServer.StartAsync();
        var error = await HttpAssert.ErrorAsync(await server.Client.ExecuteAsync(json), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains(path, HttpAssert.SchemaErrors(error).Select(e => e.Path));
    }
}
