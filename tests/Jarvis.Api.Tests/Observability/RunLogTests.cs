using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Observability;

/// <summary>The real executable with LOG_FORMAT=json: one line per run outcome, its fields as separate properties,
/// none lost at a normal stop.</summary>
public sealed class RunLogTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Each_run_outcome_is_one_json_line_with_its_fields_and_the_last_ones_survive_sigterm()
    {
        await using var executor = await ServingProcess.StartAsync(new Dictionary<string, string>
        {
            ["LOG_FORMAT"] = "json", ["LOG_LEVEL"] = "info", ["JARVIS_SHUTDOWN_GRACE_SECS"] = "0",
        });
        var (process, client) = (executor.Process, executor.Client);
        var echoId = ExecuteRequests.NewId();
        var sleepId = ExecuteRequests.NewId();
        await HttpAssert.ResultAsync(await client.ExecuteAsync(ExecuteRequests.Echo("logged", echoId)), "succeeded");
        var sleeping = client.ExecuteAsync(ExecuteRequests.Sleep(30, sleepId));
        await client.WaitForRunningAsync(1);

        process.Terminate();
        await HttpAssert.ResultAsync(await sleeping.Within(Bounded, "run canceled at shutdown"), "canceled");
        Assert.Equal(0, await process.WaitForExitAsync(Bounded));

        var outcomes = process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!) // every line is one JSON object
            .Where(entry => entry["Category"]?.GetValue<string>() == "Jarvis.Api.Observability.RunOutcomeLog")
            .Select(entry => entry["State"]!)
            .ToList();
        Assert.Equal(2, outcomes.Count);
        var echo = Assert.Single(outcomes, o => o["NodeRunId"]!.GetValue<string>() == echoId);
        Assert.Equal("run-http-tests", echo["RunId"]!.GetValue<string>());
        Assert.Equal("jarvis.core.echo", echo["NodeTypeId"]!.GetValue<string>());
        Assert.Equal("succeeded", echo["State"]!.GetValue<string>());
        Assert.Equal("-", echo["ErrorCode"]!.GetValue<string>());
        Assert.True(echo["DurationMs"]!.GetValue<double>() >= 0);
        Assert.Equal("anonymous", echo["Caller"]!.GetValue<string>());
        var sleep = Assert.Single(outcomes, o => o["NodeRunId"]!.GetValue<string>() == sleepId);
        Assert.Equal("canceled", sleep["State"]!.GetValue<string>());
        Assert.Equal("canceled", sleep["ErrorCode"]!.GetValue<string>());
    }
}
