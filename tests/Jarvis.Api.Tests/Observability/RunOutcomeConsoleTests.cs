using System.Text;
using System.Text.Json.Nodes;
using Jarvis.Api.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Jarvis.Api.Tests.Observability;

public sealed class RunOutcomeConsoleTests
{
    private const string Category = "Jarvis.Api.Observability.RunOutcomeLog";

    [Fact]
    public void Batches_hold_whole_json_lines_within_one_pipe_write_and_a_longer_line_goes_alone()
    {
        var output = new RecordingStream();
        var console = new RunOutcomeConsole(Formatter(json: true), output);
        // Ids are cut to 128 characters, but the JSON encoder writes each of these as \u00E9 (6 bytes), in the
        // message and in its property: the line still outgrows one pipe write.
        var huge = new string('é', 10_000);
        var outcomes = Enumerable.Range(0, 200)
            .Select(i => i == 77 ? new RunOutcome(huge, huge, huge, "succeeded", "-", 12.5, 0.25, huge) : Outcome($"nr-{i}"))
            .ToList();

        foreach (var outcome in outcomes) console.Add(outcome);
        console.Flush();

        Assert.All(output.Writes, write => Assert.EndsWith("\n", write));
        var alone = Assert.Single(output.Writes, w => w.Contains(@"\u00E9"));
        Assert.Single(alone.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(Encoding.UTF8.GetByteCount(alone) > 4096, $"the long line has only {Encoding.UTF8.GetByteCount(alone)} bytes");
        Assert.All(output.Writes.Where(w => w != alone), write => Assert.True(Encoding.UTF8.GetByteCount(write) <= 4096));
        Assert.True(output.Writes.Count < outcomes.Count / 5, $"{output.Writes.Count} writes for {outcomes.Count} lines: not batched");
        var lines = string.Concat(output.Writes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(outcomes.Select(o => o.NodeRunId == huge ? new string('é', 128) + "...(9872 more chars)" : o.NodeRunId),
            lines.Select(l => l["State"]!["NodeRunId"]!.GetValue<string>()));
        var first = lines[0];
        Assert.Equal(Category, first["Category"]!.GetValue<string>());
        Assert.Equal("Information", first["LogLevel"]!.GetValue<string>());
        Assert.Equal(12.5, first["State"]!["DurationMs"]!.GetValue<double>());
        Assert.Equal("run r1 node_run nr-0 jarvis.core.echo succeeded (-) in 12.5 ms, queued 0.3 ms, caller anonymous",
            first["Message"]!.GetValue<string>());
    }

    [Fact]
    public void Simple_format_writes_the_same_message_on_one_line_each()
    {
        var output = new RecordingStream();
        var console = new RunOutcomeConsole(Formatter(json: false), output);
        console.Add(Outcome("a"));
        console.Add(Outcome("b"));
        console.Flush();

        var lines = string.Concat(output.Writes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("run r1 node_run b jarvis.core.echo succeeded (-) in 12.5 ms", lines[1]);
        Assert.Single(output.Writes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Caller_supplied_fields_are_cut_and_escaped_so_the_line_stays_one_bounded_line(bool json)
    {
        var output = new RecordingStream();
        var console = new RunOutcomeConsole(Formatter(json), output);
        // Each field opens with a CR LF and a forged line, an ANSI colour and a bidi override, then runs long.
        var forged = "\r\nFAKE info: forged\u001b[31m\u202E";
        var shown = "\\u000D\\u000AFAKE info: forged\\u001B[31m\\u202E";
        string Evil(string name) => name + forged + new string('x', 100_000);
        // The documented limit: 128 characters shown (escapes counted as written), then how many were cut.
        string Logged(string name)
        {
            var xs = 128 - name.Length - shown.Length;
            var cut = Evil(name).Length - (name.Length + forged.Length + xs);
            return name + shown + new string('x', xs) + $"...({cut} more chars)";
        }

        console.Add(new RunOutcome(Evil("run"), Evil("node-run"), Evil("type"), "failed", Evil("code"), 1, 2, Evil("sub")));
        console.Flush();

        var written = string.Concat(output.Writes);
        Assert.EndsWith("\n", written);
        var line = written[..^1];
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\u202E', line);
        Assert.True(line.Length < 2048, $"a line of {line.Length} characters");
        var message = $"run {Logged("run")} node_run {Logged("node-run")} {Logged("type")} failed ({Logged("code")}) in 1.0 ms, queued 2.0 ms, caller {Logged("sub")}";
        if (json)
        {
            var entry = JsonNode.Parse(line)!;
            // The JSON values hold the same text as the simple line: escapes and marker as written, no raw controls.
            Assert.Equal(message, entry["Message"]!.GetValue<string>());
            Assert.Equal(Logged("node-run"), entry["State"]!["NodeRunId"]!.GetValue<string>());
            Assert.Equal(Logged("run"), entry["State"]!["RunId"]!.GetValue<string>());
            Assert.Equal(Logged("type"), entry["State"]!["NodeTypeId"]!.GetValue<string>());
            Assert.Equal(Logged("code"), entry["State"]!["ErrorCode"]!.GetValue<string>());
            Assert.Equal(Logged("sub"), entry["State"]!["Caller"]!.GetValue<string>());
        }
        else Assert.EndsWith(message, line);
    }

    private static RunOutcome Outcome(string nodeRunId) =>
        new("r1", nodeRunId, "jarvis.core.echo", "succeeded", "-", 12.5, 0.25, "anonymous");

    private static ConsoleFormatter Formatter(bool json)
    {
        var services = new ServiceCollection().AddLogging(logging =>
        {
            if (json) logging.AddJsonConsole();
            else logging.AddSimpleConsole(console => { console.SingleLine = true; console.ColorBehavior = Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled; });
        }).BuildServiceProvider();
        var name = json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
        return services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
    }

    private sealed class RecordingStream : MemoryStream
    {
        public List<string> Writes { get; } = [];

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(Encoding.UTF8.GetString(buffer, offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => Writes.Add(Encoding.UTF8.GetString(buffer));
    }
}
