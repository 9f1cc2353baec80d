using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>A request the browser made: where to, and the top-level site it was made for ("null" for the browser's
/// own background requests, which are not the page's).</summary>
public sealed record BrowserRequest(string Url, string TopFrameSite);

public sealed record BrowserVisit(string Dom, IReadOnlyList<BrowserRequest> Requests, string Screenshot);

/// <summary>Debian's <c>chromium</c> (or CHROMIUM_PATH), headless, with a throw-away profile. Name resolution is
/// limited to 127.0.0.1, so nothing a page or the browser tries can leave the machine; every request is still
/// recorded in a net log, attempts to other hosts included.</summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Why no browser test can run here, or null when a Chromium is there.</summary>
    public static string? Missing => Find() is null ? "no headless Chromium here: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH" : null;

    public static string Path => Find() ?? throw new InvalidOperationException(
        "a headless Chromium is needed for this test and none was found: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH");

    /// <summary>Loads <paramref name="url"/>, lets its scripts run for up to <paramref name="settle"/> of virtual time,
    /// and returns the rendered DOM, the requests made, and a screenshot written to <paramref name="screenshot"/>.</summary>
    public static async Task<BrowserVisit> VisitAsync(Uri url, string screenshot, TimeSpan settle)
    {
        var work = Directory.CreateTempSubdirectory("jarvis-chromium-");
        try
        {
            var netLog = System.IO.Path.Combine(work.FullName, "net-log.json");
            var dom = await RunAsync(work, settle, [$"--log-net-log={netLog}", "--dump-dom", url.ToString()]);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(screenshot)!);
            await RunAsync(work, settle, [$"--screenshot={screenshot}", "--window-size=1280,1600", url.ToString()]);
            return new BrowserVisit(dom, ReadRequests(netLog), screenshot);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(DirectoryInfo work, TimeSpan settle, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                     $"--user-data-dir={System.IO.Path.Combine(work.FullName, "profile")}",
                     $"--virtual-time-budget={(int)settle.TotalMilliseconds}",
                 }.Concat(arguments))
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Every URL request started, from Chromium's net log (URL_REQUEST_START_JOB events).</summary>
    private static List<BrowserRequest> ReadRequests(string netLog)
    {
        var log = JsonNode.Parse(File.ReadAllText(netLog))!;
        var startJob = log["constants"]!["logEventTypes"]!["URL_REQUEST_START_JOB"]!.GetValue<int>();
        var requests = new List<BrowserRequest>();
        foreach (var e in log["events"]!.AsArray())
        {
            if (e?["type"]?.GetValue<int>() != startJob || e["params"] is not JsonObject parameters || parameters["url"] is not JsonValue url) continue;
            var isolationKey = parameters["network_isolation_key"]?.GetValue<string>() ?? "null null";
            requests.Add(new BrowserRequest(url.GetValue<string>(), isolationKey.Split(' ')[0]));
        }
        return requests;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured) return configured;
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => directories.Select(dir => System.IO.Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A test that drives a real Chromium. Without one it is skipped with the reason, except on CI
/// (<c>CI=true</c>), where it runs and fails with it: a missing browser must not pass unnoticed there.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) && HeadlessChromium.Missing is { } reason)
            Skip = reason;
    }
}
