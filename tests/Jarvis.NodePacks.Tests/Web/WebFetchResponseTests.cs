using System.Text;
using Jarvis.Tests.Shared;
using Microsoft.AspNetCore.Http;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary>How <c>jarvis.web.fetch</c> reports what a loopback server (explicitly allowed) answered.</summary>
public sealed class WebFetchResponseTests
{
    private static readonly Sdk.EgressPolicy AllowLoopback = Fetch.Allowing("127.0.0.1");

    [Fact]
    public async Task Status_headers_content_type_body_url_and_size_are_reported()
    {
        var body = Encoding.UTF8.GetBytes("""{"answer": 42, "text": "é"}""");
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", async (context, stop) =>
        {
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers["X-Custom"] = "value-1";
            await context.Response.Body.WriteAsync(body, stop);
        });

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/thing?x=1")));

        Assert.Equal(201, outputs["status_code"]!.GetValue<int>());
        Assert.Equal("application/json; charset=utf-8", outputs["content_type"]!.GetValue<string>());
        Assert.Equal(body, Fetch.Content(outputs));
        Assert.Equal(body.Length, outputs["content_bytes"]!.GetValue<int>());
        Assert.Equal(server.Url("/thing?x=1").AbsoluteUri, outputs["final_url"]!.GetValue<string>());
        Assert.Equal(["value-1"], Fetch.Header(outputs, "X-Custom"));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task An_error_status_is_a_result_not_a_failure(int status)
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", (context, _) =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("problem");
        });

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/")));

        Assert.Equal(status, outputs["status_code"]!.GetValue<int>());
        Assert.Equal("problem", Fetch.Text(outputs));
    }

    [Fact]
    public async Task A_header_with_several_values_is_reported_once_per_value()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", (context, _) =>
        {
            context.Response.Headers.Append("X-Many", "one");
            context.Response.Headers.Append("X-Many", "two");
            return Task.CompletedTask;
        });

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/")));

        Assert.Equal(["one", "two"], Fetch.Header(outputs, "X-Many"));
    }

    [Fact]
    public async Task An_empty_body_is_zero_bytes_and_without_content_type_none_is_reported()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", (context, _) =>
        {
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        });

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/")));

        Assert.Equal(204, outputs["status_code"]!.GetValue<int>());
        Assert.Equal(0, outputs["content_bytes"]!.GetValue<int>());
        Assert.Equal("", outputs["content_base64"]!.GetValue<string>());
        Assert.False(outputs.ContainsKey("content_type"));
    }

    [Fact]
    public async Task A_gzip_body_is_reported_decompressed()
    {
        var text = string.Concat(Enumerable.Repeat("compressible ", 200));
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", async (context, stop) =>
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                await gzip.WriteAsync(Encoding.UTF8.GetBytes(text), stop);
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentType = "text/plain";
            await context.Response.Body.WriteAsync(compressed.ToArray(), stop);
        });

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/")));

        Assert.Equal(text, Fetch.Text(outputs));
        Assert.Equal(Encoding.UTF8.GetByteCount(text), outputs["content_bytes"]!.GetValue<int>());
    }
}
