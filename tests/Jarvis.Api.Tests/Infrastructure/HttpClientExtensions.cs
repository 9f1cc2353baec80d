using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>Calls to the executor shared by the in-process server and the child-process tests.</summary>
public static class HttpClientExtensions
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostBytesAsync(path, Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>POSTs raw bytes with exactly the given Content-Type header (none when null).</summary>
    public static Task<HttpResponseMessage> PostBytesAsync(this HttpClient client, string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.PostAsync(path, content);
    }

    public static Task<HttpResponseMessage> ExecuteAsync(this HttpClient client, string requestJson) =>
        client.PostJsonAsync(ExecuteRequests.ExecutePath, requestJson);

    public static async Task<HttpResponseMessage> CancelAsync(this HttpClient client, string nodeRunId)
    {
        using var empty = new ByteArrayContent([]);
        return await client.PostAsync(ExecuteRequests.CancelPath(nodeRunId), empty);
    }

    /// <summary>The <c>capacity</c> check of /v1/health: its status and running and queued counts.</summary>
    public static async Task<(string Status, int Running, int Queued)> CapacityCheckAsync(this HttpClient client)
    {
        var health = JsonNode.Parse(await client.GetStringAsync("/v1/health"))!;
        var runs = health["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "capacity")!;
        return (runs["status"]!.GetValue<string>(), runs["details"]?["running"]?.GetValue<int>() ?? -1,
            runs["details"]?["queued"]?.GetValue<int>() ?? -1);
    }

    /// <summary>Waits until /v1/health reports <paramref name="running"/> handlers running.</summary>
    public static Task WaitForRunningAsync(this HttpClient client, int running, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(client.CapacityCheckAsync, c => c.Running == running, timeout ?? TimeSpan.FromSeconds(15),
            $"health reports {running} running");

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;

    public static bool IsSuccess(this HttpStatusCode status) => (int)status is >= 200 and < 300;
}
