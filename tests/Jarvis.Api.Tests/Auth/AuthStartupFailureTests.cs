using System.Diagnostics;
using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>The built executable refuses unusable auth settings: exit code 2 and one stderr line naming the setting.</summary>
public sealed class AuthStartupFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("ARP_AUTH_PROFILE=dev-secure-keycloak", "ARP_AUTH_AUDIENCE")]
    [InlineData("ARP_AUTH_PROFILE=keycloak", "ARP_AUTH_AUDIENCE")]
    [InlineData("ARP_AUTH_CLOCK_SKEW_SECONDS=abc", "ARP_AUTH_CLOCK_SKEW_SECONDS")]
    [InlineData("ARP_AUTH_ALGORITHMS=", "ARP_AUTH_ALGORITHMS")]
    [InlineData("ARP_AUTH_ALGORITHMS=HS256", "ARP_AUTH_ALGORITHMS")]
    [InlineData("ARP_AUTH_ALGORITHMS=none", "ARP_AUTH_ALGORITHMS")]
    [InlineData("ARP_AUTH_MODE=sometimes", "ARP_AUTH_MODE")]
    public async Task Unusable_auth_setting_stops_startup_with_exit_2_and_one_line_naming_it(string setting, string named)
    {
        var (key, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
        // otherwise complete settings for required auth, so that the one under test is what is wrong
        var nowhere = $"http://127.0.0.1:{ExecutorProcess.FreePort()}/realms/test";
        var env = new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "enterprise",
            ["ARP_AUTH_ISSUER"] = nowhere,
            ["ARP_AUTH_AUDIENCE"] = AuthHttp.Audience,
            ["ARP_AUTH_JWKS_URI"] = nowhere + "/certs",
        };
        if (key == "ARP_AUTH_PROFILE") env.Remove("ARP_AUTH_AUDIENCE");
        env[key] = value;
        await using var process = ExecutorProcess.Start(env);

        var exitCode = await ExitOrServingAsync(process, setting);

        Assert.Equal(2, exitCode);
        var lines = process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}:\n{process.StandardError}");
        Assert.StartsWith("jarvis-atomic-executor: ", lines[0]);
        Assert.Contains(named, lines[0]);
        HttpAssert.AssertNoInternals(lines[0]);
    }

    [Fact]
    public async Task Complete_required_auth_settings_start_the_service()
    {
        var env = new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-secure-keycloak",
            ["ARP_AUTH_AUDIENCE"] = AuthHttp.Audience,
            // keep the profile's issuer but fetch nothing beyond 127.0.0.1 (a closed port)
            ["ARP_AUTH_OIDC_DISCOVERY_URL"] = $"http://127.0.0.1:{ExecutorProcess.FreePort()}/realms/arp-dev/.well-known/openid-configuration",
        };
        await using var process = ExecutorProcess.Start(env);
        await process.WaitUntilServingAsync(Timeout);

        // required by default: no token, no execute (and no identity provider is needed to say so)
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await AuthHttp.AssertUnauthorizedAsync(await client.SendAsync(HttpMethod.Post, ExecuteRequests.ExecutePath, null, ExecuteRequests.Echo("x")),
            AuthHttp.MissingHeader);
    }

    /// <summary>The exit code, or a failure saying the executor started (and served) despite <paramref name="setting"/>.</summary>
    private static async Task<int> ExitOrServingAsync(ExecutorProcess process, string setting)
    {
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            if (process.Process.HasExited) return await process.WaitForExitAsync(Timeout);
            try
            {
                using var health = await client.GetAsync("/v1/health");
                if (health.StatusCode == HttpStatusCode.OK)
                    Assert.Fail($"the executor started and serves despite {setting}: {process.StandardError}{process.StandardOutput}");
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the executor neither exited nor served within {Timeout.TotalSeconds:0} s with {setting}");
    }
}
