using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>The built executable configured through environment variables, as an operator runs it, against the test's
/// identity provider: the same contract as the in-process server (which takes its settings as command-line configuration).</summary>
public sealed class AuthProcessTests
{
    [Fact]
    public async Task The_executable_configured_by_environment_accepts_a_valid_token_and_refuses_a_missing_one()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var process = ExecutorProcess.Start(new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-secure-keycloak",
            ["ARP_AUTH_ISSUER"] = idp.Issuer, // discovery at issuer + /.well-known/openid-configuration
            ["ARP_AUTH_SERVICE_ID"] = AuthHttp.Audience,
            ["JARVIS_AUTH_KEY_REFRESH_MIN_SECS"] = "1",
        });
        await process.WaitUntilServingAsync(TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

        var result = await HttpAssert.ResultAsync(await client.EchoWithTokenAsync(AuthHttp.Token(idp, key), "from a process"), "succeeded");
        Assert.Equal("from a process", result["outputs"]!["echo"]!.GetValue<string>());
        await AuthHttp.AssertUnauthorizedAsync(await client.EchoWithTokenAsync(null), AuthHttp.MissingHeader);
        await AuthHttp.AssertUnauthorizedAsync(await client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Audience = "other" })),
            AuthHttp.InvalidAudience);
        Assert.True(idp.DiscoveryRequests >= 1, "the executable never asked the issuer's discovery document");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/version")).StatusCode);
    }
}
