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
        var huge = new string('x', 10_000);
        var ids = Enumerable.Range(0, 200).Select(i => i == 77 ? huge : $"nr-{i}").ToList();

        foreach (var id in ids) console.Add(Outcome(id));
        console.Flush();

        Assert.All(output.Writes, write => Assert.EndsWith("\n", write));
        Assert.All(output.Writes.Where(w => !w.Contains(huge)), write => Assert.True(Encoding.UTF8.GetByteCount(write) <= 4096));
        Assert.True(output.Writes.Count < ids.Count / 5, $"{output.Writes.Count} writes for {ids.Count} lines: not batched");
        var lines = string.Concat(output.Writes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(ids, lines.Select(l => l["State"]!["NodeRunId"]!.GetValue<string>()));
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
