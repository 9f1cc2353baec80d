using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>Sends requests and records each as an <see cref="Exchange"/>: answered or not, every request the test
/// made is in <see cref="All"/>. A request gets its deadline plus <see cref="Exchange.Allowance"/> and is then given
/// up as lost (never retried: retrying is nginx's job here, and what the test observes).</summary>
internal sealed class ExchangeRecorder(Stopwatch clock)
{
    private readonly ConcurrentQueue<Exchange> _all = new();
    private long _sequence;

    public IReadOnlyList<Exchange> All => _all.OrderBy(e => e.Sequence).ToList();

    public Task<Exchange> ExecuteAsync(HttpClient client, string route, string kind, string nodeRunId, string json, TimeSpan deadline) =>
        SendAsync(client, route, kind, nodeRunId, HttpMethod.Post, ExecuteRequests.ExecutePath,
            Encoding.UTF8.GetBytes(json), deadline);

    public Task<Exchange> CancelAsync(HttpClient client, string route, string nodeRunId, TimeSpan deadline) =>
        SendAsync(client, route, Exchange.Cancel, nodeRunId, HttpMethod.Post, ExecuteRequests.CancelPath(nodeRunId),
            [], deadline);

    public Task<Exchange> HealthAsync(HttpClient client, string route, TimeSpan deadline) =>
        SendAsync(client, route, Exchange.HealthProbe, "-", HttpMethod.Get, "/v1/health", null, deadline);

    private async Task<Exchange> SendAsync(HttpClient client, string route, string kind, string nodeRunId, HttpMethod method,
        string path, byte[]? body, TimeSpan deadline)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var bound = deadline + Exchange.Allowance;
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Exchange", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (body.Length > 0) request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var bounded = new CancellationTokenSource(bound);
        var sentAt = clock.Elapsed;
        Exchange exchange;
        try
        {
            using var response = await client.SendAsync(request, bounded.Token);
            var text = await response.Content.ReadAsStringAsync(bounded.Token);
            exchange = new Exchange(sequence, kind, nodeRunId, route, sentAt, deadline, clock.Elapsed, (int)response.StatusCode,
                response.Content.Headers.ContentType?.MediaType, text, response.Headers.RetryAfter is not null, null);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            exchange = Unanswered($"no answer within deadline {deadline.TotalSeconds:0} s + {Exchange.Allowance.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            exchange = Unanswered($"{e.GetType().Name}: {e.Message}");
        }
        _all.Enqueue(exchange);
        return exchange;

        Exchange Unanswered(string why) =>
            new(sequence, kind, nodeRunId, route, sentAt, deadline, clock.Elapsed, null, null, "", false, why);
    }
}
