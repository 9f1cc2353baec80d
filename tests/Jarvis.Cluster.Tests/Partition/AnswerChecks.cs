using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>Assertions 1 to 3 on every exchange, and the part of 6 that C's own health answers show.</summary>
internal static class AnswerChecks
{
    private static readonly string[] RetryableFailures = ["executor_unavailable", "timeout"];

    /// <summary>C may stop answering HTTP only once it knows it is downed; the log line and the refusal travel
    /// separately, so a refusal may reach the test this much before the line does.</summary>
    private static readonly TimeSpan LineLatency = TimeSpan.FromSeconds(0.5);

    public static async Task CheckAsync(IReadOnlyList<Exchange> exchanges, MinorityFate minority, Findings findings)
    {
        foreach (var exchange in exchanges)
        {
            if (exchange.Lost is not null)
            {
                findings.Add(1, exchange.ToString());
                continue;
            }
            if (exchange.AnsweredAt - exchange.SentAt > exchange.Bound)
                findings.Add(1, $"answered too late: {exchange}");
            var refusedByDownedNode = IsRefusalByDownedNode(exchange, minority);
            if (!refusedByDownedNode)
            {
                await CheckShapeAsync(exchange, findings);
                CheckRetryable(exchange, findings);
            }
            if (exchange.Kind == Exchange.HealthProbe && minority.DownedAt is { } downed && exchange.SentAt > downed + LineLatency &&
                exchange.Status == 200)
                findings.Add(6, $"C answered its health 200 after it logged that it was downed (at {downed.TotalSeconds:0.000} s): {exchange}");
        }
    }

    /// <summary>nginx's own 502 page for a probe of C's socket once C knew it was downed: its web server stopped and
    /// refused the connection, which it may.</summary>
    private static bool IsRefusalByDownedNode(Exchange exchange, MinorityFate minority) =>
        exchange is { Kind: Exchange.HealthProbe, Status: 502 } && exchange.Json is null &&
        minority.DownedAt is { } downed && exchange.AnsweredAt + LineLatency >= downed;

    /// <summary>Assertion 2: the answer's shape, against the spec's schemas.</summary>
    private static async Task CheckShapeAsync(Exchange exchange, Findings findings)
    {
        var status = exchange.Status!.Value;
        if (status is >= 200 and < 300)
        {
            var expected = exchange.Kind switch
            {
                Exchange.Cancel => 204,
                _ => 200,
            };
            if (status != expected)
            {
                findings.Add(2, $"expected {expected}: {exchange}");
                return;
            }
            if (status == 204) return;
            var schema = exchange.Kind == Exchange.HealthProbe ? SpecSchemas.Health : SpecSchemas.ExecuteResult;
            await CheckSchemaAsync(exchange, schema, findings);
            if (exchange.IsExecute && exchange.Json?["node_run_id"]?.GetValue<string>() != exchange.NodeRunId)
                findings.Add(2, $"the result names another node_run_id: {exchange}");
            return;
        }
        await CheckSchemaAsync(exchange, SpecSchemas.ErrorEnvelope, findings);
    }

    private static async Task CheckSchemaAsync(Exchange exchange, string schema, Findings findings)
    {
        if (exchange.MediaType != "application/json" || exchange.Json is null)
        {
            findings.Add(2, $"not JSON ({exchange.MediaType ?? "no media type"}), expected {schema}: {exchange}");
            return;
        }
        var errors = await SpecSchemas.ErrorsAsync(schema, exchange.Body);
        if (errors.Count > 0) findings.Add(2, $"does not match {schema} ({string.Join("; ", errors)}): {exchange}");
    }

    /// <summary>Assertion 3: every refusal says the caller may retry, with Retry-After on a 503.</summary>
    private static void CheckRetryable(Exchange exchange, Findings findings)
    {
        var status = exchange.Status!.Value;
        if (status is >= 200 and < 300)
        {
            if (exchange.State == "failed" && RetryableFailures.Contains(exchange.ErrorCode) && exchange.Retryable != true)
                findings.Add(3, $"failed with {exchange.ErrorCode} but not retryable: {exchange}");
            return;
        }
        if (exchange.Json is null)
        {
            findings.Add(3, $"{status} without an ErrorEnvelope, so without retryable: {exchange.Kind} #{exchange.Sequence} {exchange.NodeRunId} (details under 2)");
            return;
        }
        if (exchange.ErrorCode == "node_run_conflict")
            findings.Add(3, $"409 node_run_conflict for a duplicate of the very same request (a bug, never an answer here): {exchange}");
        else if (exchange.Retryable != true)
            findings.Add(3, $"refusal not marked retryable: {exchange}");
        if (status == 503 && !exchange.HasRetryAfter)
            findings.Add(3, $"503 without Retry-After: {exchange}");
    }
}
