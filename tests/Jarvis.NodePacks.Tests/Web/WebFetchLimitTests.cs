using Jarvis.NodePacks.Sdk;
using Jarvis.Tests.Shared;
using Microsoft.AspNetCore.Http;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary>The byte limit (enforced while streaming), the timeout and cancellation of <c>jarvis.web.fetch</c>,
/// against loopback servers that are explicitly allowed.</summary>
public sealed class WebFetchLimitTests
{
    private static EgressPolicy Policy(long maxBytes = 1024 * 1024, double timeoutSeconds = 30) => new()
    {
        AllowedHosts = ["127.0.0.1"],
        MaxResponseBytes = maxBytes,
        Timeout = TimeSpan.FromSeconds(timeoutSeconds),
    };

    private static Func<HttpContext, CancellationToken, Task> Bytes(int count, bool declareLength = true) => (context, stop) =>
    {
        if (declareLength) context.Response.ContentLength = count;
        return context.Response.Body.WriteAsync(new byte[count], stop).AsTask();
    };

    [Fact]
    public async Task An_endless_body_is_cut_off_at_max_bytes_as_response_too_large()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Endless);

        var failure = await Fetch.FailsAsync(Policy(), Fetch.Inputs(server.Url("/"), """{"max_bytes": 100000}"""), "response_too_large");

        Assert.Equal(100_000, failure.Details!["max_bytes"]!.GetValue<long>());
        Assert.False(failure.Retryable);
        await server.FirstAbort.WaitAsync(Fetch.Generous); // the fetch let go of the connection
    }

    [Fact]
    public async Task The_operator_max_bytes_cuts_off_an_endless_body_when_the_request_sets_none()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Endless);

        var failure = await Fetch.FailsAsync(Policy(maxBytes: 50_000), Fetch.Inputs(server.Url("/")), "response_too_large");

        Assert.Equal(50_000, failure.Details!["max_bytes"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_request_cannot_raise_max_bytes_above_the_operator_limit()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Bytes(2_000));

        var failure = await Fetch.FailsAsync(Policy(maxBytes: 1_000), Fetch.Inputs(server.Url("/"), """{"max_bytes": 1000000}"""), "response_too_large");

        Assert.Equal(1_000, failure.Details!["max_bytes"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // chunked: no Content-Length to judge by, the streamed bytes are counted
    public async Task A_body_of_exactly_max_bytes_is_returned_and_one_more_byte_is_too_large(bool declareLength)
    {
        await using var exact = await LoopbackServer.StartAsync("127.0.0.1", Bytes(1_000, declareLength));
        await using var over = await LoopbackServer.StartAsync("127.0.0.1", Bytes(1_001, declareLength));

        var outputs = await Fetch.RunAsync(Policy(), Fetch.Inputs(exact.Url("/"), """{"max_bytes": 1000}"""));
        await Fetch.FailsAsync(Policy(), Fetch.Inputs(over.Url("/"), """{"max_bytes": 1000}"""), "response_too_large");

        Assert.Equal(1_000, outputs["content_bytes"]!.GetValue<int>());
    }

    [Fact]
    public async Task Max_bytes_zero_allows_only_an_empty_body()
    {
        await using var empty = await LoopbackServer.StartAsync("127.0.0.1", Bytes(0));
        await using var one = await LoopbackServer.StartAsync("127.0.0.1", Bytes(1, declareLength: false));

        Assert.Equal(0, (await Fetch.RunAsync(Policy(), Fetch.Inputs(empty.Url("/"), """{"max_bytes": 0}""")))["content_bytes"]!.GetValue<int>());
        await Fetch.FailsAsync(Policy(), Fetch.Inputs(one.Url("/"), """{"max_bytes": 0}"""), "response_too_large");
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_retryable_fetch_timeout()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Hold);

        // 2 s, not less: on a loaded CI machine a shorter timeout could expire before the request reached the server's
        // handler, which then never sees the abort it waits for below (seen once in CI: a 30 s wait for it timed out).
        var failure = await Fetch.FailsAsync(Policy(), Fetch.Inputs(server.Url("/"), """{"timeout_seconds": 2}"""), "fetch_timeout");

        Assert.True(failure.Retryable);
        await server.FirstAbort.WaitAsync(Fetch.Generous);
    }

    [Fact]
    public async Task A_body_that_never_ends_within_the_timeout_is_a_fetch_timeout()
    {
        // Headers arrive at once; the body starts and never completes.
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Stall);

        await Fetch.FailsAsync(Policy(), Fetch.Inputs(server.Url("/"), """{"timeout_seconds": 0.5}"""), "fetch_timeout");
    }

    [Fact]
    public async Task A_request_cannot_raise_the_timeout_above_the_operator_limit()
    {
        // Were the request's 600 s honoured, this would outlast Fetch.Generous and fail.
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Hold);

        await Fetch.FailsAsync(Policy(timeoutSeconds: 0.5), Fetch.Inputs(server.Url("/"), """{"timeout_seconds": 600}"""), "fetch_timeout");
    }

    [Fact]
    public async Task Canceling_a_slow_fetch_ends_it_with_OperationCanceledException_and_drops_the_connection()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Hold);
        using var cancellation = new CancellationTokenSource();
        var fetch = Fetch.RunAsync(Policy(), Fetch.Inputs(server.Url("/")), cancellation.Token);
        await server.FirstRequest.WaitAsync(Fetch.Generous);

        await cancellation.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        Assert.IsNotType<NodeFailureException>(error);
        await server.FirstAbort.WaitAsync(Fetch.Generous);
    }

    [Fact]
    public async Task Canceling_a_fetch_whose_body_trickles_ends_it_and_drops_the_connection()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Stall);
        using var cancellation = new CancellationTokenSource();
        var fetch = Fetch.RunAsync(Policy(), Fetch.Inputs(server.Url("/")), cancellation.Token);
        await server.FirstRequest.WaitAsync(Fetch.Generous);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        await server.FirstAbort.WaitAsync(Fetch.Generous);
    }
}
