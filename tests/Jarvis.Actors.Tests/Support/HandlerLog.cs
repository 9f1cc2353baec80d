using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;
using Xunit.Sdk;

namespace Jarvis.Actors.Tests.Support;

/// <summary>One call of a test handler: what it was given, and the gate that decides when (and with what) it returns.</summary>
public sealed class Invocation(string nodeRunId, JsonObject inputs, NodeContext? context, CancellationToken token)
{
    private readonly TaskCompletionSource<JsonObject> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string NodeRunId { get; } = nodeRunId;
    public JsonObject Inputs { get; } = inputs;
    public NodeContext? Context { get; } = context;
    public CancellationToken Token { get; } = token;
    public Task<JsonObject> Gate => _gate.Task;

    /// <summary>The outputs object the handler returned, held weakly: whether the executor still holds it.</summary>
    public WeakReference? Returned { get; set; }

    /// <summary>Lets the handler return <paramref name="outputs"/> (by default <c>{"value": node_run_id}</c>).</summary>
    public void Release(JsonObject? outputs = null) => _gate.TrySetResult(outputs ?? new JsonObject { ["value"] = NodeRunId });
}

/// <summary>
/// What the test handlers did, in order: every start (an <see cref="Invocation"/>) and every end.
/// Shared between handler threads and the test thread; waits are on conditions, with a timeout.
/// </summary>
public sealed class HandlerLog
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly object _lock = new();
    private readonly List<Invocation> _invocations = [];
    private readonly List<string> _events = [];

    public Invocation Started(string nodeRunId, JsonObject inputs, NodeContext? context, CancellationToken token)
    {
        var invocation = new Invocation(nodeRunId, inputs, context, token);
        lock (_lock)
        {
            _invocations.Add(invocation);
            _events.Add("start:" + nodeRunId);
            Monitor.PulseAll(_lock);
        }
        return invocation;
    }

    public void Ended(string nodeRunId)
    {
        lock (_lock)
        {
            _events.Add("end:" + nodeRunId);
            Monitor.PulseAll(_lock);
        }
    }

    public int Count
    {
        get { lock (_lock) return _invocations.Count; }
    }

    public int CountFor(string nodeRunId)
    {
        lock (_lock) return _invocations.Count(i => i.NodeRunId == nodeRunId);
    }

    /// <summary>node_run_ids in the order their handlers started.</summary>
    public IReadOnlyList<string> StartOrder
    {
        get { lock (_lock) return _invocations.Select(i => i.NodeRunId).ToList(); }
    }

    /// <summary>"start:id" and "end:id" in the order they happened.</summary>
    public IReadOnlyList<string> Events
    {
        get { lock (_lock) return _events.ToList(); }
    }

    /// <summary>Waits for the <paramref name="occurrence"/>-th start (1-based) of a handler for <paramref name="nodeRunId"/>.</summary>
    public Invocation WaitForStart(string nodeRunId, int occurrence = 1, TimeSpan? timeout = null) =>
        WaitFor(() => _invocations.Where(i => i.NodeRunId == nodeRunId).Skip(occurrence - 1).FirstOrDefault(),
            $"handler start #{occurrence} of '{nodeRunId}'", timeout);

    /// <summary>Waits for the <paramref name="index"/>-th handler start (0-based), whichever run it is.</summary>
    public Invocation WaitForInvocation(int index, TimeSpan? timeout = null) =>
        WaitFor(() => _invocations.Count > index ? _invocations[index] : null, $"handler start #{index + 1}", timeout);

    public void ReleaseAll()
    {
        lock (_lock)
            foreach (var invocation in _invocations) invocation.Release();
    }

    private Invocation WaitFor(Func<Invocation?> find, string what, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        lock (_lock)
        {
            while (true)
            {
                if (find() is { } found) return found;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    throw new XunitException($"timed out waiting for {what}; started so far: [{string.Join(", ", _invocations.Select(i => i.NodeRunId))}]");
                Monitor.Wait(_lock, left);
            }
        }
    }
}
