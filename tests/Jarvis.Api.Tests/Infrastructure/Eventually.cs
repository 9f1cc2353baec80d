using System.Diagnostics;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>Bounded polling: wait on a condition, never on a guessed delay.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed > timeout) throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0.#} s (last value: {value})");
            await Task.Delay(Interval);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        UntilAsync(condition, ok => ok, timeout, what);

    /// <summary>Awaits <paramref name="task"/> but fails (rather than hangs) when it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<T> Within<T>(this Task<T> task, TimeSpan timeout, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout));
        if (finished != task) throw new TimeoutException($"{what}: no answer within {timeout.TotalSeconds:0.#} s");
        return await task;
    }

    /// <summary>Awaits <paramref name="task"/> but fails (rather than hangs) when it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task Within(this Task task, TimeSpan timeout, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(timeout));
        if (finished != task) throw new TimeoutException($"{what}: not done within {timeout.TotalSeconds:0.#} s");
        await task;
    }
}
