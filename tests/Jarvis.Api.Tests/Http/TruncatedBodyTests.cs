using System.Text;
using Xunit.Abstractions;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>Clients that promise more body than they send and then half-close the connection: never a 500,
/// and the server goes on serving.</summary>
public sealed class TruncatedBodyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RawTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Content_length_larger_than_the_bytes_sent_then_closed_is_not_a_500()
    {
        await using var server = await ExecutorServer.StartAsync();
        var partial = Encoding.UTF8.GetBytes(ExecuteRequests.Echo("hi"))[..30];
        var head = RawHttp.Head(server.BaseAddress, $"POST {ExecuteRequests.ExecutePath} HTTP/1.1",
            "Content-Type: application/json", "Content-Length: 500");

        var response = await RawHttp.SendAsync(server.BaseAddress, head, partial, closeWriteSide: true, RawTimeout);

        await AssertClientErrorOrNoAnswerAsync(response);
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("still serving")), "succeeded");
    }

    [Fact]
    public async Task Chunked_body_without_its_last_chunk_then_closed_is_not_a_500()
    {
        await using var server = await ExecutorServer.StartAsync();
        var head = RawHttp.Head(server.BaseAddress, $"POST {ExecuteRequests.ExecutePath} HTTP/1.1",
            "Content-Type: application/json", "Transfer-Encoding: chunked");

        var response = await RawHttp.SendAsync(server.BaseAddress, head, "a\r\n{\"node_run\r\n"u8.ToArray(), closeWriteSide: true, RawTimeout);

        await AssertClientErrorOrNoAnswerAsync(response);
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("still serving")), "succeeded");
    }

    /// <summary>Closing mid-body may end the exchange without an answer; an answer, if any, is a 400 envelope.</summary>
    private async Task AssertClientErrorOrNoAnswerAsync(RawHttp.Response? response)
    {
        output.WriteLine(response is null ? "no answer, connection closed" : $"answered {response.Status}: {response.Body}");
        if (response is null) return;
        Assert.True(response.Status == 400, $"expected 400 or no answer, got {response.Status}: {response.Body}");
        Assert.StartsWith("application/json", response.Headers["Content-Type"]);
        HttpAssert.AssertNoInternals(response.Body);
        await SpecSchemas.AssertValidAsync(SpecSchemas.ErrorEnvelope, response.Body);
    }
}
