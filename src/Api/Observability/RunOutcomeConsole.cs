using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Jarvis.Api.Observability;

/// <summary>
/// Writes run outcome lines to standard output with the console logger's own formatter (simple or JSON, as
/// configured), in batches: one write per few lines instead of the console logger's lock, wake-up and write per
/// line, which the benchmark's profile showed as the biggest share of the per-run log cost. Registered only where
/// the console is the log sink (the executor's Program); elsewhere the lines go through <see cref="ILogger"/>.
/// Used by one thread at a time (the run log's writer loop).
/// </summary>
public sealed class RunOutcomeConsole
{
    /// <summary>One write holds at most this many bytes (whole lines only): up to PIPE_BUF, a write to a pipe is not
    /// interleaved with the console logger's own lines.</summary>
    private const int MaxWriteBytes = 4096;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly ConsoleFormatter _formatter;
    private readonly Stream _stdout;
    private readonly StringWriter _line = new(CultureInfo.InvariantCulture);
    private readonly byte[] _batch = new byte[MaxWriteBytes];
    private int _batched;

    public RunOutcomeConsole(IOptions<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(FormatterOf(options.Value, formatters), Console.OpenStandardOutput()) { }

    internal RunOutcomeConsole(ConsoleFormatter formatter, Stream output)
    {
        _formatter = formatter;
        _stdout = output;
    }

    private static ConsoleFormatter FormatterOf(ConsoleLoggerOptions options, IEnumerable<ConsoleFormatter> formatters)
    {
        var name = options.FormatterName ?? ConsoleFormatterNames.Simple;
        return formatters.FirstOrDefault(f => f.Name == name)
               ?? throw new InvalidOperationException($"the console log formatter '{name}' is not registered");
    }

    /// <summary>Formats one outcome into the batch; writes the batch first when the line would not fit.</summary>
    public void Add(in RunOutcome outcome)
    {
        var entry = new LogEntry<RunOutcomeState>(LogLevel.Information, RunOutcomeState.Category, RunOutcomeState.Event,
            new RunOutcomeState(outcome), null, RunOutcomeState.Format);
        _formatter.Write(in entry, null, _line);
        var text = _line.GetStringBuilder();
        // Encoded from the builder's own buffer when it is one piece (the usual case once it has grown to fit a line).
        var line = OnePiece(text, out var piece) ? piece.Span : text.ToString().AsSpan();
        var length = Utf8.GetByteCount(line);
        if (_batched + length > MaxWriteBytes) Flush();
        if (length > MaxWriteBytes) _stdout.Write(Utf8.GetBytes(line.ToArray()));
        else _batched += Utf8.GetBytes(line, _batch.AsSpan(_batched));
        text.Clear();
    }

    private static bool OnePiece(StringBuilder text, out ReadOnlyMemory<char> piece)
    {
        piece = default;
        var pieces = 0;
        foreach (var chunk in text.GetChunks())
        {
            if (++pieces > 1) return false;
            piece = chunk;
        }
        return true;
    }

    /// <summary>Writes what is batched; called whenever the run log's queue is empty.</summary>
    public void Flush()
    {
        if (_batched == 0) return;
        _stdout.Write(_batch, 0, _batched);
        _stdout.Flush();
        _batched = 0;
    }
}
