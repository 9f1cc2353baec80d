using System.Threading.Channels;

namespace Jarvis.Api.Observability;

/// <summary>The run outcome as logged: one line per run, each field a separate structured property.</summary>
public readonly record struct RunOutcome(string RunId, string NodeRunId, string NodeTypeId, string State, string ErrorCode,
    double DurationMs, double QueuedMs, string Caller);

/// <summary>Writes the one-line-per-run log away from the run supervisor's thread: <see cref="Enqueue"/> only puts
/// the outcome in a bounded channel, and one background loop formats and writes it. When the writer falls behind
/// (a slow console), lines are dropped and counted rather than slowing every run down. Lines still queued at
/// shutdown are written once the actor system has stopped (the last runs it cancels included).</summary>
public sealed class RunOutcomeLog : IHostedLifecycleService
{
    public const int Capacity = 16_384;

    private readonly ILogger<RunOutcomeLog> _logger;
    private readonly RunMetrics _metrics;
    private readonly Channel<RunOutcome> _channel = Channel.CreateBounded<RunOutcome>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly bool _enabled;
    private readonly RunOutcomeConsole? _console;
    private Task _writer = Task.CompletedTask;

    /// <param name="console">Where the console is the log sink: lines are written there directly, in batches.</param>
    public RunOutcomeLog(ILogger<RunOutcomeLog> logger, RunMetrics metrics, RunOutcomeConsole? console = null)
    {
        _logger = logger;
        _metrics = metrics;
        _console = console;
        // Fixed at start like every setting: with LOG_LEVEL=warning a run costs no log work at all.
        _enabled = logger.IsEnabled(LogLevel.Information);
    }

    /// <summary>Never blocks: a full channel (or one closed at shutdown) drops the line and counts it.</summary>
    public void Enqueue(in RunOutcome outcome)
    {
        if (_enabled && !_channel.Writer.TryWrite(outcome)) _metrics.LogLineDropped();
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteAllAsync);
        return Task.CompletedTask;
    }

    private async Task WriteAllAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var run))
            {
                if (_console is not null) _console.Add(run);
                else _logger.Log(LogLevel.Information, RunOutcomeState.Event, new RunOutcomeState(run), null, RunOutcomeState.Format);
            }
            _console?.Flush();
        }
    }

    /// <summary>After every other service has stopped (the actor system included): nothing is left to report.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: say so rather than fail the whole stop.
            _logger.LogWarning("the host's shutdown timeout ended before every run log line was written");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
