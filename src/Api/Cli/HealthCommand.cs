using System.Text.Json.Nodes;
using Jarvis.Api.Config;

namespace Jarvis.Api.Cli;

/// <summary><c>jarvis-atomic-executor health</c>: asks the executor running with the same settings on this machine for
/// <c>/v1/health</c> and exits 0 when it answers 200 with status ok or degraded (still serving), 1 otherwise, with one
/// line saying why. The container image's health check: its runtime image has no curl.</summary>
public static class HealthCommand
{
    public const string Name = "health";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var (host, port) = JarvisOptions.LoadListenAddress(WebApplication.CreateBuilder(args).Configuration);
        var url = new Uri($"http://{LocalAddress(host)}:{port}/v1/health");
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(url);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["status"]?.GetValue<string>();
            var healthy = response.IsSuccessStatusCode && status is "ok" or "degraded";
            await output.WriteLineAsync($"{(healthy ? "healthy" : "unhealthy")}: {url} answered {(int)response.StatusCode} {status ?? "(no status)"}");
            return healthy ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            await output.WriteLineAsync($"unhealthy: {url}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Where a listener on <paramref name="host"/> is reached from this machine.</summary>
    private static string LocalAddress(string host) => host switch
    {
        "0.0.0.0" => "127.0.0.1",
        "::" or "[::]" => "[::1]",
        _ when host.Contains(':') && !host.StartsWith('[') => $"[{host}]",
        _ => host,
    };
}
