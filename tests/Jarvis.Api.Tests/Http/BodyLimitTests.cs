using System.Text;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>JARVIS_MAX_BODY_BYTES (default 1 MiB): bodies over it are 413 whether announced by Content-Length or
/// streamed chunked; bodies at it are executed.</summary>
public sealed class BodyLimitTests
{
    private const int DefaultLimit = 1024 * 1024;
    private static readonly TimeSpan RawTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A valid echo request padded with whitespace to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] EchoOfSize(int size)
    {
        var json = ExecuteRequests.Echo("hi");
        return Encoding.UTF8.GetBytes(json + new string(' ', size - Encoding.UTF8.GetByteCount(json)));
    }

    [Fact]
    public async Task Body_at_the_default_limit_is_executed()
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.PostBytesAsync(ExecuteRequests.ExecutePath, EchoOfSize(DefaultLimit), "application/json");
        await HttpAssert.ResultAsync(response, "succeeded");
    }

    [Fact]
    public async Task Content_length_over_the_default_limit_is_413_before_the_body_is_sent()
    {
        await using var server = await ExecutorServer.StartAsync();
        var head = RawHttp.Head(server.BaseAddress, $"POST {ExecuteRequests.ExecutePath} HTTP/1.1",
            "Content-Type: application/json", $"Content-Length: {DefaultLimit + 1}");

        var response = await RawHttp.SendAsync(server.BaseAddress, head, [], closeWriteSide: false, RawTimeout);

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task Body_over_configured_limit_with_content_length_is_413()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_BODY_BYTES", "2048"));

        var response = await RawHttp.PostAsync(server.BaseAddress, ExecuteRequests.ExecutePath, "application/json", EchoOfSize(2049), RawTimeout);

        var error = await AssertTooLargeAsync(response);
        Assert.Contains("2048", error["message"]!.GetValue<string>());
        await HttpAssert.ResultAsync(await server.Client.PostBytesAsync(ExecuteRequests.ExecutePath, EchoOfSize(2048), "application/json"), "succeeded");
    }

    [Fact]
    public async Task Chunked_body_over_configured_limit_without_content_length_is_413()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_BODY_BYTES", "2048"));
        var body = EchoOfSize(6000);
        var chunked = new MemoryStream();
        foreach (var chunk in body.Chunk(1000))
        {
            chunked.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            chunked.Write(chunk);
            chunked.Write("\r\n"u8);
        }
        chunked.Write("0\r\n\r\n"u8);
        var head = RawHttp.Head(server.BaseAddress, $"POST {ExecuteRequests.ExecutePath} HTTP/1.1",
            "Content-Type: application/json", "Transfer-Encoding: chunked");

        var response = await RawHttp.SendAsync(server.BaseAddress, head, chunked.ToArray(), closeWriteSide: false, RawTimeout);

        await AssertTooLargeAsync(response);
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("still serving")), "succeeded");
    }

    [Fact]
    public async Task Chunked_body_within_the_limit_is_executed()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_BODY_BYTES", "2048"));
        var request = new HttpRequestMessage(HttpMethod.Post, ExecuteRequests.ExecutePath)
        {
            Content = new StreamContent(new UnseekableStream(EchoOfSize(2000))),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TransferEncodingChunked = true;

        await HttpAssert.ResultAsync(await server.Client.SendAsync(request), "succeeded");
    }

    private static async Task<JsonNode> AssertTooLargeAsync(RawHttp.Response? response)
    {
        Assert.NotNull(response);
        Assert.True(response.Status == 413, $"expected 413, got {response.Status}: {response.Body}");
        Assert.StartsWith("application/json", response.Headers["Content-Type"]);
        await SpecSchemas.AssertValidAsync(SpecSchemas.ErrorEnvelope, response.Body);
        HttpAssert.AssertNoInternals(response.Body);
        var error = JsonNode.Parse(response.Body)!["error"]!;
        Assert.Equal("payload_too_large", error["code"]!.GetValue<string>());
        return error;
    }

    /// <summary>A stream whose length is unknown, so HttpClient must send it chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
