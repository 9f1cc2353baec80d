using System.Net;
using Akka.Actor;
using Jarvis.Api.Hosting;
using Jarvis.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jarvis.Api.Tests.Startup;

/// <summary>The actor system stops under the running web host (as when the cluster downs this node): the HTTP layer
/// must stop handing requests to actors that will never answer. In-process: nobody runs the host's stop here, so the
/// web server stays up and every answer it gives after the loss can be checked.</summary>
public sealed class ActorSystemLossTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Requests_are_answered_503_at_once_health_is_down_and_the_host_is_asked_to_stop_with_exit_code_3()
    {
        await using var server = await ExecutorServer.StartAsync();
        var client = server.Client;
        var waiting = client.ExecuteAsync(ExecuteRequests.Sleep(120));
        await client.WaitForRunningAsync(1);
        var availability = server.Services.GetRequiredService<ExecutorAvailability>();
        var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();

        await server.Services.GetRequiredService<ActorSystem>().Terminate();

        // the request waiting for its 120 s run is answered now, retryably, not when the run's deadline passes
        await AssertRefusedAsync(await waiting.Within(Bounded, "the execute waiting when the actor system stopped"));
        await AssertRefusedAsync(await client.ExecuteAsync(ExecuteRequests.Echo("after")).Within(Bounded, "an execute after the loss"));
        await AssertRefusedAsync(await client.CancelAsync("any-id").Within(Bounded, "a cancel after the loss"));
        var health = await AssertRefusedAsync(await client.GetAsync("/v1/health").Within(Bounded, "health after the loss"));
        Assert.Equal("down", health["details"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode); // a last scrape still works

        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested, "the host was not asked to stop");
        Assert.Equal(ExecutorAvailability.LostExitCode, availability.ExitCode);
        Assert.Equal(3, ExecutorAvailability.LostExitCode); // the code the README documents
    }

    [Fact]
    public async Task The_host_stops_without_waiting_for_a_drain_that_cannot_run()
    {
        var server = await ExecutorServer.StartAsync(("JARVIS_SHUTDOWN_GRACE_SECS", "60"));
        await using (server)
        {
            var waiting = server.Client.ExecuteAsync(ExecuteRequests.Sleep(120));
            await server.Client.WaitForRunningAsync(1);
            await server.Services.GetRequiredService<ActorSystem>().Terminate();
            await AssertRefusedAsync(await waiting.Within(Bounded, "the execute waiting when the actor system stopped"));

            // A drain would wait for the stopped supervisor for the whole 60 s grace; the stop must not.
            var stop = server.StopAsync(TimeSpan.FromSeconds(30));
            await stop.Within(Bounded, "the host's stop after the actor system stopped");
        }
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> AssertRefusedAsync(HttpResponseMessage response)
    {
        HttpAssert.RetryAfter(response);
        var error = await HttpAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "executor_unavailable");
        Assert.True(error["retryable"]!.GetValue<bool>());
        return error;
    }
}
