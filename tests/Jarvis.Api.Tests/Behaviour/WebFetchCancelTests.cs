using System.Net;
using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Tests.Shared;

namespace Jarvis.Api.Tests.Behaviour;

/// <summary>The executor's cancel route ends a <c>jarvis.web.fetch</c> that is waiting on a slow loopback server,
/// and the fetch lets go of its connection.</summary>
public sealed class WebFetchCancelTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cancel_of_a_fetch_waiting_on_a_server_that_never_answers_answers_canceled()
    {
        await using var site = await LoopbackServer.StartAsync("127.0.0.1", Respond.Hold);
        await using var server = await ExecutorServer.StartAsync(
            ("JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "127.0.0.1"), ("JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", "600"), ("JARVIS_DEFAULT_TIMEOUT_SECS", "600"));
        var id = ExecuteRequests.NewId();
        var execute = server.Client.ExecuteAsync(ExecuteRequests.Fetch(site.Url("/slow").AbsoluteUri, nodeRunId: id));
        await site.FirstRequest.WaitAsync(Bounded);

        var cancel = await server.Client.CancelAsync(id);
        var result = await HttpAssert.ResultAsync(await execute.Within(Bounded, "canceled fetch"), "canceled");

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        Assert.Equal(id, result["node_run_id"]!.GetValue<string>());
        await site.FirstAbort.WaitAsync(Bounded); // the connection to the slow server was dropped
        await server.Client.WaitForRunningAsync(0);
    }
}
