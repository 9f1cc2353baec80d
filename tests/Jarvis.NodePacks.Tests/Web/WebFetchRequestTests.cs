using System.Text;
using Jarvis.Tests.Shared;
using Microsoft.AspNetCore.Http;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary>What a loopback server (explicitly allowed) receives from <c>jarvis.web.fetch</c>: method, headers,
/// query parameters and body.</summary>
public sealed class WebFetchRequestTests
{
    private static readonly Sdk.EgressPolicy AllowLoopback = Fetch.Allowing("127.0.0.1");

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("POST", "POST")]
    [InlineData("PUT", "PUT")]
    [InlineData("PATCH", "PATCH")]
    [InlineData("DELETE", "DELETE")]
    [InlineData("OPTIONS", "OPTIONS")]
    [InlineData("HEAD", "HEAD")]
    [InlineData("post", "POST")]
    [InlineData("delete", "DELETE")]
    public async Task The_method_is_sent_as_asked(string method, string sent)
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/m"), $$"""{"method": "{{method}}"}"""));

        Assert.Equal(sent, server.Requests.Single().Method);
        Assert.Equal(200, outputs["status_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Without_a_method_it_is_GET()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");
        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/"), """{"method": null}"""));
        Assert.Equal("GET", server.Requests.Single().Method);
    }

    [Fact]
    public async Task Headers_are_sent_with_their_values()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/"), """
            {"headers": [{"key": "X-Trace", "value": "abc 123"}, {"key": "Accept", "value": "application/json"},
                         {"key": "Authorization", "value": "Bearer t0ken"}]}
            """));

        var request = server.Requests.Single();
        Assert.Equal("abc 123", request.Header("X-Trace"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.Equal("Bearer t0ken", request.Header("Authorization"));
    }

    [Fact]
    public async Task The_user_agent_names_the_node_unless_one_is_given()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/")));
        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/"), """{"headers": [{"key": "User-Agent", "value": "mine/1"}]}"""));

        Assert.StartsWith("jarvis-web-fetch/", server.Requests[0].Header("User-Agent"));
        Assert.Equal("mine/1", server.Requests[1].Header("User-Agent"));
    }

    [Fact]
    public async Task Params_are_added_to_the_query_escaped_and_after_the_url_own_query()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/search?first=1"), """
            {"params": [{"key": "q", "value": "a b&c=d/é"}, {"key": "page", "value": "2"}, {"key": "q", "value": "again"}]}
            """));

        var query = QueryHelpersParse(server.Requests.Single().Query);
        Assert.Equal(["1"], query["first"]);
        Assert.Equal(["a b&c=d/é", "again"], query["q"]);
        Assert.Equal(["2"], query["page"]);
        Assert.Equal("/search", server.Requests.Single().Path);
    }

    [Fact]
    public async Task Json_is_sent_as_the_body_with_an_application_json_content_type()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");
        const string json = """{"a": [1, 2, {"b": "ü"}]}""";

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/"), $$"""{"method": "POST", "json": {{System.Text.Json.JsonSerializer.Serialize(json)}}}"""));

        var request = server.Requests.Single();
        Assert.Equal(json, Encoding.UTF8.GetString(request.Body));
        Assert.Equal("application/json", request.Header("Content-Type"));
    }

    [Fact]
    public async Task Body_is_sent_as_utf8_text()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/"), """{"method": "PUT", "body": "line 1\nzwei €"}"""));

        var request = server.Requests.Single();
        Assert.Equal("line 1\nzwei €", Encoding.UTF8.GetString(request.Body));
        Assert.Equal("text/plain; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(Encoding.UTF8.GetByteCount("line 1\nzwei €").ToString(), request.Header("Content-Length"));
    }

    [Fact]
    public async Task A_content_type_header_replaces_the_default_one_of_the_body()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/"), """
            {"method": "POST", "body": "a=1", "headers": [{"key": "Content-Type", "value": "application/x-www-form-urlencoded"}]}
            """));

        var request = server.Requests.Single();
        Assert.Equal("application/x-www-form-urlencoded", request.Header("Content-Type"));
        Assert.Equal("a=1", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task Without_json_or_body_nothing_is_sent_as_body()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");
        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/"), """{"method": "POST"}"""));
        Assert.Empty(server.Requests.Single().Body);
    }

    private static Dictionary<string, string[]> QueryHelpersParse(QueryString query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value)
            .ToDictionary(p => p.Key, p => p.Value.Select(v => v!).ToArray());
}
