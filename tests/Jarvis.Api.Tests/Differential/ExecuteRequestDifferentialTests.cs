using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Jarvis.Api.Tests.Differential;

/// <summary>The execute route accepts exactly what the spec's AtomicExecuteRequest schema accepts:
/// 400 invalid_request when NJsonSchema (over the spec files) reports errors, 200 otherwise.</summary>
public sealed class ExecuteRequestDifferentialTests(ITestOutputHelper output)
{
    private const string ExecutePath = "/v1/atomic-node-runs:execute";
    private const int DefaultSeed = 20_240_611;
    private const int RequestCount = 3_200;
    private const int Concurrency = 8;
    private const int MismatchesShown = 10;

    /// <summary>JARVIS_DIFF_SEED replays another seed.</summary>
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("JARVIS_DIFF_SEED"), out var s) ? s : DefaultSeed;

    [Fact]
    public async Task Execute_answers_400_exactly_when_the_spec_schema_rejects_the_request()
    {
        var seed = Seed;
        var oracle = await SpecOracle.LoadAsync();
        var requests = new RequestGenerator(seed, json => oracle.Errors(json).Count == 0).Generate(RequestCount);
        var expected = requests.ToDictionary(r => r.Index, r => oracle.Errors(r.Json));

        await using var server = await ExecutorServer.StartAsync();
        var answers = new ConcurrentDictionary<int, (HttpStatusCode Status, string Body)>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, ct) =>
        {
            using var response = await server.PostJsonAsync(ExecutePath, request.Json, ct);
            answers[request.Index] = (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        });

        var mismatches = new List<string>();
        foreach (var request in requests)
        {
            var errors = expected[request.Index];
            var (status, body) = answers[request.Index];
            var problem = (errors.Count > 0, status) switch
            {
                (true, HttpStatusCode.BadRequest) => ProblemWithRejection(body),
                (true, _) => "the spec schema rejects the request but the server did not answer 400",
                (false, HttpStatusCode.BadRequest) => "the spec schema accepts the request but the server answered 400",
                (false, HttpStatusCode.OK) => null,
                (false, _) => "the spec schema accepts the request; the server should answer 200",
            };
            if (problem is not null) mismatches.Add(Report(request, problem, errors, status, body));
        }

        var rejected = expected.Values.Count(e => e.Count > 0);
        var combined = requests.Count(r => r.Mutations.Count > 1);
        output.WriteLine($"seed={seed} requests={requests.Count} (single-or-none={requests.Count - combined} combined={combined}) " +
                         $"oracle-accepted={requests.Count - rejected} oracle-rejected={rejected} mismatches={mismatches.Count}");

        Assert.True(mismatches.Count == 0,
            $"seed {seed}: {mismatches.Count} of {requests.Count} requests disagree with the spec schema; the first {MismatchesShown}:\n\n" +
            string.Join("\n\n", mismatches.Take(MismatchesShown)));
        // The corpus must exercise both sides, or agreement proves little.
        Assert.True(requests.Count >= 2_000, $"only {requests.Count} requests were generated");
        Assert.True(rejected >= 300 && requests.Count - rejected >= 300,
            $"unbalanced corpus: {rejected} rejected, {requests.Count - rejected} accepted");
    }

    /// <summary>A 400 must be invalid_request with the offending JSON paths, each starting at the root <c>$</c>.</summary>
    private static string? ProblemWithRejection(string body)
    {
        JsonNode? error;
        try { error = JsonNode.Parse(body)?["error"]; }
        catch (System.Text.Json.JsonException) { return "the 400 body is not JSON"; }
        if (error?["code"]?.GetValue<string>() != "invalid_request") return "the 400 is not an invalid_request error";
        if (error["details"]?["errors"] is not JsonArray { Count: > 0 } list) return "the 400 lists no error.details.errors";
        foreach (var item in list)
            if (item?["path"] is not JsonValue path || path.GetValueKind() != System.Text.Json.JsonValueKind.String ||
                !path.GetValue<string>().StartsWith('$'))
                return $"error.details.errors has an entry whose path is not a JSON path from '$': {item?.ToJsonString()}";
        return null;
    }

    private static string Report(GeneratedRequest request, string problem, IReadOnlyList<string> errors, HttpStatusCode status, string body) =>
        $"{request.Describe()}\n  problem: {problem}\n  request: {request.Json}\n" +
        $"  oracle: {(errors.Count == 0 ? "valid" : string.Join(" | ", errors.Select(e => e.ReplaceLineEndings(" "))))}\n" +
        $"  server: {(int)status} {body}";
}
