using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>Required mode with the default exempt paths, and the caller principal as node handlers see it.</summary>
public sealed class RequiredModeTests(RequiredAuthFixture auth) : IClassFixture<RequiredAuthFixture>
{
    [Theory]
    [InlineData("GET", "/v1/node-types")]
    [InlineData("POST", ExecuteRequests.ExecutePath)]
    [InlineData("POST", "/v1/atomic-node-runs/some-run:cancel")]
    [InlineData("GET", "/v1/no-such-route")]
    [InlineData("GET", "/")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/v1/health/")]
    [InlineData("GET", "/V1/HEALTH")]
    [InlineData("GET", "/v1/Version")]
    public async Task Required_mode_refuses_every_non_exempt_path_without_a_token(string method, string path)
    {
        var response = await auth.Client.SendAsync(new HttpMethod(method), path, null,
            path == ExecuteRequests.ExecutePath ? ExecuteRequests.Echo("no token") : null);

        await AuthHttp.AssertUnauthorizedAsync(response, AuthHttp.MissingHeader);
    }

    [Fact]
    public async Task Required_mode_serves_everything_with_a_valid_token_including_unknown_routes_as_404()
    {
        var bearer = AuthHttp.Bearer(auth.Token());

        var nodeTypes = await HttpAssert.JsonAsync(await auth.Client.SendAsync(HttpMethod.Get, "/v1/node-types", bearer), HttpStatusCode.OK);
        Assert.Contains("jarvis.core.echo", nodeTypes);
        var cancel = await auth.Client.SendAsync(HttpMethod.Post, ExecuteRequests.CancelPath(ExecuteRequests.NewId()), bearer);
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        await HttpAssert.ErrorAsync(await auth.Client.SendAsync(HttpMethod.Get, "/v1/no-such-route", bearer), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Health_and_version_need_no_token_in_required_mode()
    {
        var health = await HttpAssert.JsonAsync(await auth.Client.GetAsync("/v1/health"), HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.Health, health);
        var version = await HttpAssert.JsonAsync(await auth.Client.GetAsync("/v1/version"), HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.VersionInfo, version);
    }

    [Theory]
    [InlineData("/v1/health/")]
    [InlineData("/V1/HEALTH")]
    [InlineData("/v1/health%2F")]
    public async Task Near_misses_of_an_exempt_path_are_not_health_answers_without_a_token(string path)
    {
        var response = await auth.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.False(response.StatusCode == HttpStatusCode.OK, $"{path} answered 200 without a token: {body}");
        Assert.DoesNotContain("\"checks\"", body);
    }

    [Fact]
    public async Task Exempt_paths_ignore_a_bad_token()
    {
        var response = await auth.Client.SendAsync(HttpMethod.Get, "/v1/health", "Bearer not-a-jwt");
        await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_token_subject_and_claims_reach_the_node_handler()
    {
        var token = auth.Token(s => s with
        {
            Subject = "svc-run-coordinator",
            Claims = new Dictionary<string, object> { ["azp"] = "arp-run-coordinator", ["scope"] = "arp.execute arp.cancel", ["tenant"] = "acme" },
        });

        var result = await HttpAssert.ResultAsync(await auth.Client.ExecuteWithAsync(AuthHttp.Bearer(token), CallerPack.Request()), "succeeded");

        var outputs = result["outputs"]!;
        Assert.False(outputs["anonymous"]!.GetValue<bool>());
        Assert.Equal("svc-run-coordinator", outputs["subject"]?.GetValue<string>());
        var claims = outputs["claims"]!.AsObject();
        Assert.True(claims.ContainsKey("sub"), $"claims are keyed by their JWT names: {claims.ToJsonString()}");
        Assert.Equal("svc-run-coordinator", claims["sub"]!.GetValue<string>());
        Assert.Equal("arp-run-coordinator", claims["azp"]?.GetValue<string>());
        Assert.Equal("arp.execute arp.cancel", claims["scope"]?.GetValue<string>());
        Assert.Equal("acme", claims["tenant"]?.GetValue<string>());
        Assert.Equal(auth.Idp.Issuer, claims["iss"]?.GetValue<string>());
    }
}
