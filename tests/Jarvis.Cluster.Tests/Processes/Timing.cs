using System.Diagnostics;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>Elapsed times as the tests print them.</summary>
internal static class StopwatchText
{
    public static string Seconds(this Stopwatch clock) => $"{clock.Elapsed.TotalSeconds:0.00} s";
}

/// <summary>Bounds on tasks without a result (<c>Eventually.Within</c> is for tasks with one).</summary>
internal static class TaskBounds
{
    /// <summary>Awaits <paramref name="task"/> but fails (rather than hangs) when it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task CompletesWithin(this Task task, TimeSpan timeout, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout));
        if (finished != task) throw new TimeoutException($"{what}: not done within {timeout.TotalSeconds:0.#} s");
        await task;
    }
}
