using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Jarvis.Api.Tests.Observability;

/// <summary>Keeps every span the executor's tracer provider ends, as an exporter would receive it.</summary>
public sealed class RecordingProcessor : BaseProcessor<Activity>
{
    private readonly ConcurrentQueue<Activity> _ended = new();

    public IReadOnlyList<Activity> Ended => _ended.ToArray();

    public override void OnEnd(Activity data) => _ended.Enqueue(data);
}
