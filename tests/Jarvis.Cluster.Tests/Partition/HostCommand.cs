using System.Diagnostics;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>Runs a short command of the host (<c>ip</c>, <c>iptables</c>) and returns what it printed; a command
/// that fails or hangs is an exception naming it, so a broken network set-up never goes unnoticed.</summary>
internal static class HostCommand
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public sealed record Outcome(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="file"/> and fails unless it exits 0; returns its standard output.</summary>
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var outcome = await TryAsync(file, args);
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException(
                $"`{Describe(file, args)}` exited with {outcome.ExitCode}: {outcome.Error.Trim()} {outcome.Output.Trim()}");
        return outcome.Output;
    }

    /// <summary>Runs <paramref name="file"/> and returns its exit code and output, whatever they are.</summary>
    public static async Task<Outcome> TryAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"`{Describe(file, args)}` did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bounded = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{Describe(file, args)}` did not finish within {Bound.TotalSeconds:0} s");
        }
        return new Outcome(process.ExitCode, await output, await error);
    }

    /// <summary>Synchronous form for xunit's discovery (attribute constructors cannot await).</summary>
    public static Outcome Try(string file, params string[] args) => TryAsync(file, args).GetAwaiter().GetResult();

    private static string Describe(string file, string[] args) => string.Join(' ', [file, .. args]);
}
