using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>A representative subset of the HTTP behaviour, unchanged with auth required and a valid token.</summary>
public sealed class AuthenticatedBehaviourTests(RequiredAuthFixture auth) : IClassFixture<RequiredAuthFixture>
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(20);

    private string Bearer => AuthHttp.Bearer(auth.Token());

    [Fact]
    public async Task Echo_succeeds_and_replays_with_the_same_id()
    {
        var id = ExecuteRequests.NewId();
        var first = await HttpAssert.ResultAsync(await auth.Client.ExecuteWithAsync(Bearer, ExecuteRequests.Echo("again", id)), "succeeded");
        var replay = await HttpAssert.ResultAsync(await auth.Client.ExecuteWithAsync(Bearer, ExecuteRequests.Echo("again", id)), "succeeded");
        Assert.Equal(first.ToJsonString(), replay.ToJsonString());
    }

    [Fact]
    public async Task Cancel_of_a_running_sleep_answers_canceled()
    {
        var id = ExecuteRequests.NewId();
        var execute = auth.Client.ExecuteWithAsync(Bearer, ExecuteRequests.Sleep(30, id));
        await auth.Client.WaitForRunningAsync(1); // /v1/health is exempt

        var cancel = await auth.Client.SendAsync(HttpMethod.Post, ExecuteRequests.CancelPath(id), Bearer);
        var response = await execute.Within(Bounded, "canceled execute");

        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        var result = await HttpAssert.ResultAsync(response, "canceled");
        Assert.Equal(id, result["node_run_id"]!.GetValue<string>());
        await auth.Client.WaitForRunningAsync(0);
    }

    [Fact]
    public async Task A_cancel_without_a_token_is_refused_and_does_not_cancel()
    {
        var id = ExecuteRequests.NewId();
        var execute = auth.Client.ExecuteWithAsync(Bearer, ExecuteRequests.Sleep(30, id));
        await auth.Client.WaitForRunningAsync(1);

        await AuthHttp.AssertUnauthorizedAsync(await auth.Client.SendAsync(HttpMethod.Post, ExecuteRequests.CancelPath(id), null), AuthHttp.MissingHeader);
        Assert.False(execute.IsCompleted, "the run ended after a refused cancel");
        var (_, running, _) = await auth.Client.CapacityCheckAsync();
        Assert.Equal(1, running);

        Assert.Equal(HttpStatusCode.NoContent, (await auth.Client.SendAsync(HttpMethod.Post, ExecuteRequests.CancelPath(id), Bearer)).StatusCode);
        await HttpAssert.ResultAsync(await execute.Within(Bounded, "canceled execute"), "canceled");
        await auth.Client.WaitForRunningAsync(0);
    }

    [Theory]
    [InlineData("not JSON")]
    [InlineData("{}")]
    [InlineData("""{"node_run_id":"n","run_id":"r","node_type_ref":{"node_type_id":"jarvis.core.echo"},"inputs":{}}""")]
    public async Task A_bad_body_is_400_invalid_request(string body)
    {
        var response = await auth.Client.ExecuteWithAsync(Bearer, body);
        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Node_types_are_listed()
    {
        var body = await HttpAssert.JsonAsync(await auth.Client.SendAsync(HttpMethod.Get, "/v1/node-types", Bearer), HttpStatusCode.OK);
        Assert.Contains("jarvis.core.sleep", body);
    }
}
