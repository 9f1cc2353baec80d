using Jarvis.NodePacks.Sdk;
using Jarvis.NodePacks.Tests.Core;
using Jarvis.NodePacks.Web;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary><see cref="FetchRequest.From"/>: inputs the schema lets through but the node refuses, and the
/// operator's limits applied to what a request asks for. Parsing only: nothing is fetched.</summary>
public sealed class FetchRequestTests
{
    private static readonly EgressPolicy Operator = new() { Timeout = TimeSpan.FromSeconds(10), MaxResponseBytes = 1000 };

    private static FetchRequest From(string inputsJson) => FetchRequest.From(Nodes.JsonObject(inputsJson), Operator);

    [Theory]
    [InlineData("""{"url": "ftp://127.0.0.1/file"}""", "http")]
    [InlineData("""{"url": "file:///etc/passwd"}""", "http")]
    [InlineData("""{"url": "/relative/path"}""", "http")]
    [InlineData("""{"url": "not a url"}""", "http")]
    [InlineData("""{"url": "http://user:pass@127.0.0.1/"}""", "credentials")]
    [InlineData("""{"url": "http://user@127.0.0.1/"}""", "credentials")]
    [InlineData("""{"url": "http://127.0.0.1/", "json": "{}", "body": "x"}""", "json")]
    [InlineData("""{"url": "http://127.0.0.1/", "json": "{not json"}""", "json")]
    [InlineData("""{"url": "http://127.0.0.1/", "json": ""}""", "json")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "Host", "value": "evil.example"}]}""", "Host")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "content-length", "value": "5"}]}""", "content-length")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "Transfer-Encoding", "value": "chunked"}]}""", "Transfer-Encoding")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "Connection", "value": "close"}]}""", "Connection")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "X-A", "value": "v\r\nX-Injected: 1"}]}""", "X-A")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "X-A", "value": "v\nw"}]}""", "X-A")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "X-A", "value": "v\u0000"}]}""", "X-A")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "Bad Name", "value": "v"}]}""", "Bad Name")]
    [InlineData("""{"url": "http://127.0.0.1/", "headers": [{"key": "X:Colon", "value": "v"}]}""", "X:Colon")]
    public void Inputs_the_node_cannot_send_are_invalid_inputs_saying_why(string inputs, string named)
    {
        var error = Assert.Throws<InvalidNodeInputsException>(() => From(inputs));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("""{"url": "http://127.0.0.1/"}""", 10.0)]
    [InlineData("""{"url": "http://127.0.0.1/", "timeout_seconds": null}""", 10.0)]
    [InlineData("""{"url": "http://127.0.0.1/", "timeout_seconds": 2.5}""", 2.5)]
    [InlineData("""{"url": "http://127.0.0.1/", "timeout_seconds": 3600}""", 10.0)]
    public void The_timeout_is_the_request_one_but_never_above_the_operator_one(string inputs, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), From(inputs).Timeout);

    [Theory]
    [InlineData("""{"url": "http://127.0.0.1/"}""", 1000)]
    [InlineData("""{"url": "http://127.0.0.1/", "max_bytes": null}""", 1000)]
    [InlineData("""{"url": "http://127.0.0.1/", "max_bytes": 10}""", 10)]
    [InlineData("""{"url": "http://127.0.0.1/", "max_bytes": 0}""", 0)]
    [InlineData("""{"url": "http://127.0.0.1/", "max_bytes": 99999999999}""", 1000)]
    public void Max_bytes_is_the_request_one_but_never_above_the_operator_one(string inputs, long maxBytes) =>
        Assert.Equal(maxBytes, From(inputs).MaxBytes);

    [Fact]
    public void Defaults_are_GET_no_body_no_headers_and_following_redirects()
    {
        var request = From("""{"url": "http://127.0.0.1/", "method": null, "headers": null, "params": null, "json": null, "body": null, "follow_redirects": null}""");

        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Null(request.Body);
        Assert.Empty(request.Headers);
        Assert.True(request.FollowRedirects);
        Assert.Equal("http://127.0.0.1/", request.Url.AbsoluteUri);
    }
}
