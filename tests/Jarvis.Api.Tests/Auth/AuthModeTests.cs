using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>Optional and disabled mode, and configured exempt paths.</summary>
public sealed class AuthModeTests
{
    [Fact]
    public async Task ARP_AUTH_EXEMPT_PATHS_replaces_the_default_exempt_paths()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("ARP_AUTH_EXEMPT_PATHS", "/v1/node-types,/v1/version")));

        await HttpAssert.JsonAsync(await server.Client.GetAsync("/v1/node-types"), HttpStatusCode.OK);
        await HttpAssert.JsonAsync(await server.Client.GetAsync("/v1/version"), HttpStatusCode.OK);
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.GetAsync("/v1/health"), AuthHttp.MissingHeader);
    }

    [Fact]
    public async Task Optional_mode_runs_without_a_header_as_anonymous_but_refuses_a_bad_token()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Packs(), AuthHttp.Required(idp, extra: ("ARP_AUTH_MODE", "optional")));

        var anonymous = await HttpAssert.ResultAsync(await server.Client.ExecuteWithAsync(null, CallerPack.Request()), "succeeded");
        Assert.True(anonymous["outputs"]!["anonymous"]!.GetValue<bool>(), $"not anonymous: {anonymous.ToJsonString()}");
        Assert.Null(anonymous["outputs"]!["subject"]);
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(null), "succeeded");

        var authenticated = await HttpAssert.ResultAsync(
            await server.Client.ExecuteWithAsync(AuthHttp.Bearer(AuthHttp.Token(idp, key, s => s with { Subject = "opt-user" })), CallerPack.Request()), "succeeded");
        Assert.Equal("opt-user", authenticated["outputs"]!["subject"]?.GetValue<string>());

        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync("not-a-jwt"), AuthHttp.InvalidToken);
        await AuthHttp.AssertUnauthorizedAsync(
            await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Audience = "elsewhere" })), AuthHttp.InvalidAudience);
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.ExecuteWithAsync("Basic dXNlcjpwYXNz", ExecuteRequests.Echo("x")), AuthHttp.InvalidHeader);
    }

    [Fact]
    public async Task Disabled_auth_ignores_tokens_and_handlers_see_anonymous()
    {
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Packs(), ("ARP_AUTH_PROFILE", "dev-insecure"));

        var result = await HttpAssert.ResultAsync(await server.Client.ExecuteWithAsync("Bearer not-a-jwt", CallerPack.Request()), "succeeded");
        Assert.True(result["outputs"]!["anonymous"]!.GetValue<bool>());
        Assert.Equal(new JsonObject().ToJsonString(), result["outputs"]!["claims"]!.ToJsonString());
    }
}
