using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>Request bodies whose HTTP framing is broken (chunk sizes, bodies cut short, bodies that arrive too slowly)
/// are the caller's fault: a 400 or 408 ErrorEnvelope that is not retryable, never a 500, and at most one log line
/// without a stack trace. Each case runs the real executable with its default log settings, because the log an
/// operator reads is part of what is asserted; the process is stopped before its output is read, so that nothing
/// logged late escapes the assertions.</summary>
public sealed partial class FramingErrorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    /// <summary>Lines every run prints whatever its requests: start-up, drain and the actor system's stop.</summary>
    private static readonly string[] LifecycleCategories = ["Microsoft.Hosting.Lifetime", "Jarvis.Api.Hosting.ShutdownDrain", "Akka."];

    private static string ChunkedHead(Uri server) => RawHttp.Head(server, $"POST {ExecuteRequests.ExecutePath} HTTP/1.1",
        "Content-Type: application/json", "Transfer-Encoding: chunked");

    [Fact]
    public async Task A_chunk_size_that_overflows_is_400_not_retryable_and_closes_the_connection()
    {
        // Kestrel reports a chunk size it cannot hold as a bare IOException, unlike its other chunk errors.
        var (response, log) = await ExchangeAsync(server =>
            RawHttp.SendAsync(server, ChunkedHead(server), "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n"u8.ToArray(), closeWriteSide: false, Bounded));

        AssertQuiet(log, maxRequestLines: 1);
        await AssertRefusedAsync(response, 400, "invalid_request");
        Assert.Equal("close", response!.Headers["Connection"]);
    }

    [Fact]
    public async Task A_chunk_size_that_is_not_hex_is_400_not_retryable_and_closes_the_connection()
    {
        var (response, log) = await ExchangeAsync(server =>
            RawHttp.SendAsync(server, ChunkedHead(server), "zz\r\n{}\r\n0\r\n\r\n"u8.ToArray(), closeWriteSide: false, Bounded));

        AssertQuiet(log, maxRequestLines: 1);
        await AssertRefusedAsync(response, 400, "invalid_request");
        Assert.Equal("close", response!.Headers["Connection"]);
    }

    [Fact]
    public async Task A_body_cut_short_by_a_half_close_is_no_500_and_no_error_in_the_log()
    {
        var (response, log) = await ExchangeAsync(server =>
        {
            var head = RawHttp.Head(server, $"POST {ExecuteRequests.ExecutePath} HTTP/1.1", "Content-Type: application/json", "Content-Length: 500");
            return RawHttp.SendAsync(server, head, Encoding.UTF8.GetBytes(ExecuteRequests.Echo("hi"))[..30], closeWriteSide: true, Bounded);
        });

        // Kestrel takes the half-close as the client leaving; if it ever answers, the answer is the caller's 400.
        AssertQuiet(log, maxRequestLines: response is null ? 0 : 1);
        if (response is not null) await AssertRefusedAsync(response, 400, "invalid_request");
    }

    [Fact]
    public async Task A_body_arriving_below_the_minimum_data_rate_is_408_not_retryable()
    {
        // Kestrel's default minimum rate (240 bytes/s after a 5 s grace period) runs out while the test waits for the
        // answer; nothing more is sent meanwhile.
        var (response, log) = await ExchangeAsync(server =>
        {
            var head = RawHttp.Head(server, $"POST {ExecuteRequests.ExecutePath} HTTP/1.1", "Content-Type: application/json", "Content-Length: 500");
            return RawHttp.SendAsync(server, head, Encoding.UTF8.GetBytes(ExecuteRequests.Echo("hi"))[..30], closeWriteSide: false, Bounded);
        });

        AssertQuiet(log, maxRequestLines: 1);
        await AssertRefusedAsync(response, 408, "request_timeout");
    }

    [Fact]
    public async Task Clients_that_reset_the_connection_while_their_body_is_awaited_leave_nothing_in_the_log()
    {
        // Whether Kestrel has registered a reset by the time the failed read ends the request is a race on its side.
        // Losing it logs an error with a stack trace; over 20 resets it was lost in every run before the fix.
        const int Resets = 20;
        var (_, log) = await ExchangeAsync(async server =>
        {
            var heads = new[] { "Content-Length: 500", "Transfer-Encoding: chunked" }.Select(framing => RawHttp.Head(server,
                $"POST {ExecuteRequests.ExecutePath} HTTP/1.1", "Content-Type: application/json", framing, "Expect: 100-continue")).ToArray();
            for (var i = 0; i < Resets; i++) await RawHttp.ResetAfterContinueAsync(server, heads[i % heads.Length], Bounded);
            return null;
        });

        AssertQuiet(log, maxRequestLines: 0);
    }

    /// <summary>Starts the executable, runs <paramref name="exchange"/>, checks the executor still serves, stops it
    /// and returns the exchange's answer with every line the process printed.</summary>
    private async Task<(RawHttp.Response? Response, string[] Log)> ExchangeAsync(Func<Uri, Task<RawHttp.Response?>> exchange)
    {
        await using var executor = await ServingProcess.StartAsync(new Dictionary<string, string> { ["JARVIS_SHUTDOWN_GRACE_SECS"] = "0" });
        var response = await exchange(executor.Process.BaseAddress);
        output.WriteLine(response is null ? "no answer, connection closed" : $"answered {response.Status}: {response.Body}");
        Assert.True((await executor.Client.GetAsync("/v1/health")).IsSuccessStatusCode, "the executor stopped serving");

        executor.Process.Terminate();
        Assert.Equal(0, await executor.Process.WaitForExitAsync(Bounded));
        var log = (executor.Process.StandardOutput + executor.Process.StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in log) output.WriteLine(line);
        return (response, log);
    }

    private static async Task AssertRefusedAsync(RawHttp.Response? response, int status, string code)
    {
        Assert.NotNull(response);
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Body}");
        Assert.StartsWith("application/json", response.Headers["Content-Type"]);
        HttpAssert.AssertNoInternals(response.Body);
        await SpecSchemas.AssertValidAsync(SpecSchemas.ErrorEnvelope, response.Body);
        var error = JsonNode.Parse(response.Body)!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(error["retryable"]?.GetValue<bool>() ?? true, $"expected retryable: false, got {response.Body}");
    }

    /// <summary>No stack trace and nothing at error level anywhere, and besides the lifecycle lines at most
    /// <paramref name="maxRequestLines"/>: a refused body gets one line saying which request and why.</summary>
    private static void AssertQuiet(string[] log, int maxRequestLines)
    {
        var traced = log.FirstOrDefault(line => line.Contains("   at ", StringComparison.Ordinal) || line.Contains(".cs:line", StringComparison.Ordinal));
        Assert.True(traced is null, $"a stack trace in the log: {traced}");
        var error = log.FirstOrDefault(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
        Assert.True(error is null, $"an error-level line in the log: {error}");
        var requestLines = log.Where(line => !(LogLine().Match(line) is { Success: true } m &&
            LifecycleCategories.Any(c => m.Groups["category"].Value.StartsWith(c, StringComparison.Ordinal)))).ToList();
        Assert.True(requestLines.Count <= maxRequestLines,
            $"expected at most {maxRequestLines} line(s) about the requests, got:\n{string.Join('\n', requestLines)}");
    }

    [GeneratedRegex(@"^(?<level>\w+): (?<category>[^\[\s]+)\[")]
    private static partial Regex LogLine();
}
