using System.Text;
using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Api.Contract;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Jarvis.Api.Tests.Http;

/// <summary>What a run keeps of its request once the body is read.</summary>
public sealed class ExecuteRequestReaderTests
{
    private static string Body(string echo) =>
        $$$$"""{"node_run_id":"n1","run_id":"r1","node_type_ref":{"node_type_id":"jarvis.core.echo","version":"0.3.8"},"inputs":{"echo":"{{{{echo}}}}"},"constraints":{"budgets":{"max_wall_time_ms":5000}}}""";

    [Fact]
    public async Task A_run_keeps_its_inputs_ref_and_budgets_apart_from_the_rest_of_the_request()
    {
        var request = await ReadAsync(Body("hi"));

        // Parentless: the request's root, its ids and constraints are garbage once the body is read.
        Assert.Null(request.Inputs.Parent);
        Assert.Null(request.NodeTypeRef.Parent);
        Assert.Null(request.Budgets!.Parent);
        Assert.Equal("hi", request.Inputs["echo"]!.GetValue<string>());
        Assert.Equal("jarvis.core.echo", request.NodeTypeId);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), request.MaxWallTime);
        Assert.Equal(RequestFingerprint.Of(JsonNode.Parse("""{"node_type_id":"jarvis.core.echo","version":"0.3.8"}""")!,
            JsonNode.Parse("""{"echo":"hi"}""")!), request.Fingerprint);
    }

    [Fact]
    public async Task A_body_that_arrives_in_many_pieces_reads_as_the_same_request()
    {
        var echo = string.Concat(Enumerable.Repeat("aü€", 20_000)); // far more than one pipe segment
        var request = await ReadAsync(Body(echo), chunkBytes: 1000);

        Assert.Equal(echo, request.Inputs["echo"]!.GetValue<string>());
        Assert.Equal("n1", request.NodeRunId);
    }

    [Theory]
    [InlineData(200 * 1024, false)] // over the limit by less than the drain bound: read to its end, connection kept
    [InlineData(64 * 1024 + ExecuteRequestReader.DrainBytes + 64 * 1024, true)] // more left than that: closed after the 413
    public async Task A_body_without_a_declared_length_over_the_limit_is_drained_within_a_bound(int bodyBytes, bool closes)
    {
        var body = new TrickleStream(new byte[bodyBytes], 8 * 1024);
        var http = new DefaultHttpContext();
        http.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
        http.Request.ContentType = "application/json";
        http.Request.Body = body;

        var (request, error) = await new ExecuteRequestReader(64 * 1024).ReadAsync(http.Request, CancellationToken.None);

        Assert.Null(request);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Assert.IsAssignableFrom<IStatusCodeHttpResult>(error).StatusCode);
        Assert.Equal(closes ? "close" : "", http.Response.Headers.Connection.ToString());
        if (!closes) Assert.Equal(body.Length, body.Position);
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private static async Task<RunRequest> ReadAsync(string body, int chunkBytes = int.MaxValue)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var http = new DefaultHttpContext();
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = bytes.Length;
        http.Request.Body = new TrickleStream(bytes, chunkBytes);
        var (request, error) = await new ExecuteRequestReader(1024 * 1024).ReadAsync(http.Request, CancellationToken.None);
        Assert.Null(error);
        return request!;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a slow client's body arrives.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }
}
