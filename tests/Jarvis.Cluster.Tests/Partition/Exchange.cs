using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>What one request was and what came back: its answer, or why there was none (<see cref="Lost"/>). Times
/// are test-clock readings. <see cref="Deadline"/> is the request's own deadline; the test allows 5 s more.</summary>
internal sealed record Exchange(
    long Sequence,
    string Kind,
    string NodeRunId,
    string Route,
    TimeSpan SentAt,
    TimeSpan Deadline,
    TimeSpan? AnsweredAt,
    int? Status,
    string? MediaType,
    string Body,
    bool HasRetryAfter,
    string? Lost)
{
    /// <summary>What nginx logged for this request (upstreams tried and their statuses), once joined from its log.</summary>
    public string? Nginx { get; init; }

    public static readonly TimeSpan Allowance = TimeSpan.FromSeconds(5);

    public const string Echo = "echo";
    public const string Sleep = "sleep";
    public const string Duplicate = "duplicate";
    public const string Cancel = "cancel";
    public const string HealthProbe = "health";
    public const string DirectExecute = "direct";

    public TimeSpan Bound => Deadline + Allowance;

    public bool IsExecute => Kind is Echo or Sleep or Duplicate or DirectExecute;

    /// <summary>The parsed body when it is JSON; null otherwise (empty, or nginx's own HTML page).</summary>
    public JsonNode? Json
    {
        get
        {
            if (Body.Length == 0) return null;
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>The <c>state</c> of a 200 execute result ("succeeded", "failed", "canceled"), else null.</summary>
    public string? State => Status == 200 && IsExecute ? Json?["state"]?.GetValue<string>() : null;

    /// <summary>The error code of a failed result or of an ErrorEnvelope, else null.</summary>
    public string? ErrorCode => Json?["error"]?["code"]?.GetValue<string>();

    public bool? Retryable => Json?["error"]?["retryable"]?.GetValue<bool>();

    /// <summary>A short name for the answer, for the report's counts: "200 succeeded", "200 failed executor_unavailable",
    /// "503 shutting_down", "204", "502 (not JSON)", "lost".</summary>
    public string AnswerKind => Status switch
    {
        null => "lost",
        200 when State is { } state => ErrorCode is { } code && code != state ? $"200 {state} {code}" : $"200 {state}",
        200 => "200",
        204 => "204",
        var status => ErrorCode is { } code ? $"{status} {code}" : $"{status} (not an envelope)",
    };

    public override string ToString()
    {
        var answer = Lost is not null
            ? $"LOST after {((AnsweredAt ?? SentAt) - SentAt).TotalSeconds:0.000} s: {Lost}"
            : $"{Status} after {(AnsweredAt!.Value - SentAt).TotalSeconds:0.000} s: {Shorten(Body)}";
        var nginx = Nginx is null ? "" : $" [nginx: {Nginx}]";
        return $"#{Sequence} {Kind} {NodeRunId} via {Route}, sent at {SentAt.TotalSeconds:0.000} s, deadline {Deadline.TotalSeconds:0} s: {answer}{nginx}";
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
