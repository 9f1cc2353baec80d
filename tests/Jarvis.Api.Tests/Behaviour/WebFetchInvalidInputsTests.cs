using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Tests.Shared;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>Inputs of <c>jarvis.web.fetch</c> refused as <c>invalid_inputs</c>, whether by the input schema or by
/// the node's own checks. The target is a loopback server that is allowed, so that a missed check would reach it.</summary>
public sealed class WebFetchInvalidInputsTests
{
    public static TheoryData<string, string> BadInputs => new()
    {
        // description, inputs with {url} standing for the allowed server's URL
        { "non-http URL", """{"url": "ftp://127.0.0.1/file"}""" },
        { "URL with credentials", """{"url": "http://user:secret@{host}/"}""" },
        { "both json and body", """{"url": "{url}", "json": "{}", "body": "text"}""" },
        { "json that is not JSON", """{"url": "{url}", "json": "{not json"}""" },
        { "reserved header Host", """{"url": "{url}", "headers": [{"key": "Host", "value": "other.example"}]}""" },
        { "reserved header Transfer-Encoding", """{"url": "{url}", "headers": [{"key": "Transfer-Encoding", "value": "chunked"}]}""" },
        { "header value with CR/LF", """{"url": "{url}", "headers": [{"key": "X-A", "value": "a\r\nX-Injected: 1"}]}""" },
        { "header value with LF", """{"url": "{url}", "headers": [{"key": "X-A", "value": "a\nb"}]}""" },
        { "method not in the enum", """{"url": "{url}", "method": "TRACE"}""" },
        { "method that is no method", """{"url": "{url}", "method": "GET /admin HTTP/1.1"}""" },
        { "negative max_bytes", """{"url": "{url}", "max_bytes": -1}""" },
        { "zero timeout_seconds", """{"url": "{url}", "timeout_seconds": 0}""" },
        { "no url", """{"method": "GET"}""" },
        { "unknown input", """{"url": "{url}", "verb": "GET"}""" },
        { "header without value", """{"url": "{url}", "headers": [{"key": "X-A"}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_inputs_are_invalid_inputs_and_nothing_is_sent(string description, string inputs)
    {
        await using var site = await LoopbackServer.StartOkAsync("127.0.0.1");
        await using var server = await ExecutorServer.StartAsync(("JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "127.0.0.1"));
        var request = ExecuteRequests.For(Jarvis.NodePacks.Web.WebFetchNode.NodeTypeId,
            (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(
                inputs.Replace("{url}", site.Url("/").AbsoluteUri).Replace("{host}", $"127.0.0.1:{site.Port}"))!,
            version: Jarvis.NodePacks.Web.WebNodePack.PackVersion);

        var error = await HttpAssert.FailedAsync(await server.Client.ExecuteAsync(request), "invalid_inputs");

        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()), description);
        Assert.Equal(0, site.RequestCount);
    }

    [Fact]
    public async Task The_same_server_is_reached_with_valid_inputs()
    {
        // The control for the theory above: its requests fail for their inputs, not for the server or policy.
        await using var site = await LoopbackServer.StartOkAsync("127.0.0.1");
        await using var server = await ExecutorServer.StartAsync(("JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "127.0.0.1"));

        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/").AbsoluteUri,
            """{"method": "POST", "json": "{}", "headers": [{"key": "X-A", "value": "a"}], "max_bytes": 10, "timeout_seconds": 5}""")), "succeeded");

        Assert.Equal(1, site.RequestCount);
    }
}
