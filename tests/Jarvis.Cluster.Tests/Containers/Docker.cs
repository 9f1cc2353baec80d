using System.Diagnostics;

namespace Jarvis.Cluster.Tests.Containers;

/// <summary>The machine's docker and docker-compose (DOCKER_HOST as the environment sets it; .ci/run starts a dockerd
/// of its own and builds stand-in base images under the official names). Every command is bounded in time, and one
/// that fails is an exception naming it and what it printed.</summary>
internal static class Docker
{
    public static bool RunningOnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why containers cannot run here, or null when they can (a docker CLI, a daemon that answers, compose).</summary>
    public static string? Unusable { get; } = Probe();

    public static Task<string> RunAsync(TimeSpan bound, params string[] args) => CommandAsync("docker", bound, null, args);

    public static Task<string> ComposeAsync(IReadOnlyDictionary<string, string> environment, TimeSpan bound, params string[] args) =>
        CommandAsync("docker-compose", bound, environment, args);

    public static async Task<string> CommandAsync(string file, TimeSpan bound, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {string.Join(' ', args)}` did not finish within {bound.TotalSeconds:0} s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` exited with {process.ExitCode}: {Tail(await error)} {Tail(await output)}");
        return await output;
    }

    private static string Tail(string text) => text.Length <= 2000 ? text.Trim() : "…" + text[^2000..].Trim();

    private static string? Probe()
    {
        try
        {
            RunAsync(TimeSpan.FromSeconds(20), "info", "--format", "{{.ServerVersion}}").GetAwaiter().GetResult();
            CommandAsync("docker-compose", TimeSpan.FromSeconds(20), null, ["version"]).GetAwaiter().GetResult();
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return e.Message;
        }
    }
}

/// <summary>A test that runs containers. Where docker cannot run it is skipped with the reason, except on CI
/// (<c>CI=true</c>), where it runs and fails with it.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!Docker.RunningOnCi && Docker.Unusable is { } reason) Skip = $"containers cannot run here: {reason}";
    }
}
