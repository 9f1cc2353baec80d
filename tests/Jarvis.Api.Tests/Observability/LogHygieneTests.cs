using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Observability;

/// <summary>The real executable's log lines when callers put hostile text in what gets logged (ids, the request path,
/// the token subject): each value is cut to 128 characters with a marker and its control characters are escaped, so
/// a line stays one line of bounded length that cannot forge another or drive the terminal.</summary>
public sealed class LogHygieneTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    /// <summary>A CR LF opening a forged line, an ANSI colour (ESC [31m) and a right-to-left override.</summary>
    private const string Forged = "\r\nFAKE info: forged\u001b[31m\u202E";

    /// <summary>How <see cref="Forged"/> reads in the log.</summary>
    private const string Shown = @"\u000D\u000AFAKE info: forged\u001B[31m\u202E";

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task A_huge_node_run_id_holding_control_characters_makes_one_bounded_run_line(string format)
    {
        await using var executor = await ServingProcess.StartAsync(new Dictionary<string, string>
        {
            ["LOG_FORMAT"] = format, ["LOG_LEVEL"] = "info", ["JARVIS_SHUTDOWN_GRACE_SECS"] = "0",
        });
        var marker = ExecuteRequests.NewId();
        var id = marker + Forged + new string('x', 100_000);

        var result = await HttpAssert.ResultAsync(await executor.Client.ExecuteAsync(ExecuteRequests.Echo("hi", id)), "succeeded");
        Assert.Equal(id, result["node_run_id"]!.GetValue<string>()); // only the log's copy is cut
        var lines = await LinesAtExitAsync(executor.Process);

        AssertNothingForged(lines, marker);
        var line = AssertOneHarmlessLine(lines, marker);
        var logged = Cut(marker, id);
        if (format == "json")
        {
            var entry = JsonNode.Parse(line)!;
            Assert.Equal(logged, entry["State"]!["NodeRunId"]!.GetValue<string>());
            Assert.Contains($" node_run {logged} jarvis.core.echo succeeded (-)", entry["Message"]!.GetValue<string>());
        }
        else Assert.Contains($" node_run {logged} jarvis.core.echo succeeded (-)", line);
    }

    [Fact]
    public async Task A_token_subject_and_a_refused_request_path_are_cut_and_escaped()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var process = ExecutorProcess.Start(AuthHttp.Required(idp).ToDictionary(s => s.Key, s => s.Value));
        await process.WaitUntilServingAsync(Bounded);
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = Bounded };
        // The subject travels in the Authorization header, whose size Kestrel caps at 32 KB.
        var subjectMarker = ExecuteRequests.NewId("sub");
        var subject = subjectMarker + Forged + new string('x', 5_000);
        // The cancel route's id is in the path that the 401 line names.
        var pathMarker = ExecuteRequests.NewId("cancel");
        var canceled = pathMarker + Forged + new string('x', 20_000);

        await HttpAssert.ResultAsync(await client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Subject = subject })), "succeeded");
        var wrongAudience = AuthHttp.Bearer(AuthHttp.Token(idp, key, s => s with { Audience = "other" }));
        await AuthHttp.AssertUnauthorizedAsync(await client.SendAsync(HttpMethod.Post, ExecuteRequests.CancelPath(canceled), wrongAudience),
            AuthHttp.InvalidAudience);
        var lines = await LinesAtExitAsync(process);

        AssertNothingForged(lines, subjectMarker, pathMarker);
        Assert.EndsWith($" caller {Cut(subjectMarker, subject)}", AssertOneHarmlessLine(lines, subjectMarker));
        // The path is logged percent-encoded, as ASP.NET Core prints it (no raw control characters), and cut.
        var path = "/v1/atomic-node-runs/" + pathMarker + "%0D%0AFAKE%20info:%20forged%1B%5B31m%E2%80%AE" + new string('x', 20_000) + ":cancel";
        Assert.Contains($" for POST {path[..128]}...({path.Length - 128} more chars): ", AssertOneHarmlessLine(lines, pathMarker));
    }

    /// <summary>What the log shows of <paramref name="value"/>, which is <paramref name="prefix"/>, <see cref="Forged"/>
    /// and then x's: 128 characters (escapes as written), then how many were left out.</summary>
    private static string Cut(string prefix, string value)
    {
        var xs = 128 - prefix.Length - Shown.Length;
        var left = value.Length - (prefix.Length + Forged.Length + xs);
        return $"{prefix}{Shown}{new string('x', xs)}...({left} more chars)";
    }

    /// <summary>Stops the process (SIGTERM) so that every line it wrote has been read, and returns them.</summary>
    private static async Task<string[]> LinesAtExitAsync(ExecutorProcess process)
    {
        process.Terminate();
        Assert.Equal(0, await process.WaitForExitAsync(Bounded));
        // The reader splits at CR as well as LF, as a terminal or a line-oriented collector would.
        return process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Text after a CR or LF in a value would have made a line of its own, without the value's start.</summary>
    private static void AssertNothingForged(string[] lines, params string[] markers) =>
        Assert.All(lines.Where(l => l.Contains("FAKE")), line => Assert.Contains(markers, line.Contains));

    private static string AssertOneHarmlessLine(string[] lines, string marker)
    {
        var line = Assert.Single(lines, l => l.Contains(marker));
        Assert.True(line.Length < 2048, $"a log line of {line.Length} characters");
        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\u202E', line);
        return line;
    }
}
