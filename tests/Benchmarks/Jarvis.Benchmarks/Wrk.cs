using System.Diagnostics;
using System.Text.Json;

namespace Jarvis.Benchmarks;

public sealed record WrkResult(
    TimeSpan Duration, long Requests, long Succeeded, long Unexpected,
    long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts,
    TimeSpan P50, TimeSpan P90, TimeSpan P99, TimeSpan Max, string? FirstUnexpected)
{
    public double RequestsPerSecond => Requests / Duration.TotalSeconds;
    public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;
    public bool AllSucceeded => Unexpected == 0 && SocketErrors == 0 && Succeeded == Requests && Requests > 0;
}

/// <summary>Runs wrk (closed loop: each connection sends its next request when the previous answer arrives).</summary>
public sealed class Wrk(string scriptDirectory)
{
    private int _invocations;

    public async Task<WrkResult> RunAsync(Uri baseAddress, string bodySuffix, int threads, int connections, TimeSpan duration,
        TimeSpan timeout, CancellationToken cancellation)
    {
        var tag = $"w{Environment.ProcessId}x{Interlocked.Increment(ref _invocations)}";
        var script = Path.Combine(scriptDirectory, $"{tag}.lua");
        await File.WriteAllTextAsync(script, WrkScript.For(bodySuffix), cancellation);

        var info = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "-t", threads.ToString(), "-c", connections.ToString(), "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s",
                     "--timeout", $"{(int)Math.Ceiling(timeout.TotalSeconds)}s", "-s", script,
                     new Uri(baseAddress, RequestBodies.ExecutePath).ToString(), "--", tag,
                 })
            info.ArgumentList.Add(arg);

        var process = ChildProcesses.Start(info);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellation);
            var stderr = process.StandardError.ReadToEndAsync(cancellation);
            await process.WaitForExitAsync(cancellation);
            return Parse(await stdout, await stderr, process.ExitCode);
        }
        finally
        {
            ChildProcesses.Stop(process);
            process.Dispose();
        }
    }

    private static WrkResult Parse(string stdout, string stderr, int exitCode)
    {
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(WrkScript.ResultMarker, StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"wrk exited with {exitCode} without its result line:\n{stdout}\n{stderr}");
        var json = JsonDocument.Parse(line[WrkScript.ResultMarker.Length..]).RootElement;
        long Get(string name) => (long)json.GetProperty(name).GetDouble();
        TimeSpan Micros(string name) => TimeSpan.FromMicroseconds(json.GetProperty(name).GetDouble());
        var sample = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(WrkScript.SampleMarker, StringComparison.Ordinal));
        return new WrkResult(Micros("duration_us"), Get("requests"), Get("succeeded"), Get("unexpected"),
            Get("connect_errors"), Get("read_errors"), Get("write_errors"), Get("timeouts"),
            Micros("p50_us"), Micros("p90_us"), Micros("p99_us"), Micros("max_us"),
            sample?[WrkScript.SampleMarker.Length..]);
    }
}
