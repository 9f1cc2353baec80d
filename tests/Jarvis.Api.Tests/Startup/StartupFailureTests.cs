using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Startup;

/// <summary>The built executable refuses bad settings: one stderr line naming the setting, and a non-zero exit.</summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        // env or arg, key, value, what the message must name
        { "env", "JARVIS_MAX_CONCURRENCY", "abc", "JARVIS_MAX_CONCURRENCY" },
        { "env", "JARVIS_DEFAULT_TIMEOUT_SECS", "-1", "JARVIS_DEFAULT_TIMEOUT_SECS" },
        { "env", "JARVIS_MAX_QUEUE", "-5", "JARVIS_MAX_QUEUE" },
        { "env", "JARVIS_MAX_BODY_BYTES", "lots", "JARVIS_MAX_BODY_BYTES" },
        { "env", "JARVIS_MAX_REMEMBERED_BYTES", "-1", "JARVIS_MAX_REMEMBERED_BYTES" },
        { "env", "JARVIS_MAX_REMEMBERED_BYTES", "256MiB", "JARVIS_MAX_REMEMBERED_BYTES" },
        { "env", "JARVIS_SHUTDOWN_GRACE_SECS", "NaN", "JARVIS_SHUTDOWN_GRACE_SECS" },
        { "env", "LOG_LEVEL", "loud", "LOG_LEVEL" },
        { "env", "LOG_FORMAT", "xml", "LOG_FORMAT" },
        { "env", "JARVIS_TRACES_EXPORTER", "zipkin", "JARVIS_TRACES_EXPORTER" },
        { "arg", "--port", "70000", "port" },
        { "arg", "--host", "not a host!", "host" },
        { "arg", "--host", "my-box.example", "host" }, // a name would make Kestrel listen on every interface
        { "env", "JARVIS_NODEPACKS_PATH", "/nonexistent/jarvis-packs", "JARVIS_NODEPACKS_PATH" },
    };

    [Fact]
    public async Task Port_already_in_use_stops_startup_with_exit_2_and_one_line()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port.ToString();
        await using var process = ExecutorProcess.Start(new Dictionary<string, string> { ["ARP_AUTH_PROFILE"] = "dev-insecure" }, "--port", port);

        Assert.Equal(2, await process.WaitForExitAsync(ExitTimeout));
        Assert.Contains(port, AssertSingleStderrLine(process));
    }

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_setting_stops_startup_with_exit_2_and_one_line_naming_it(string kind, string key, string value, string named)
    {
        var env = new Dictionary<string, string> { ["ARP_AUTH_PROFILE"] = "dev-insecure" };
        string[] args = [];
        if (kind == "env") env[key] = value;
        else args = [key, value];
        await using var process = ExecutorProcess.Start(env, args);

        var exitCode = await process.WaitForExitAsync(ExitTimeout);

        Assert.Equal(2, exitCode);
        var line = AssertSingleStderrLine(process);
        Assert.Contains(named, line);
    }

    [Theory]
    [InlineData("ARP_AUTH_PROFILE", "bogus")]
    [InlineData("ARP_AUTH_MODE", "sometimes")]
    public async Task Unknown_auth_setting_stops_startup_naming_it(string key, string value)
    {
        await using var process = ExecutorProcess.Start(new Dictionary<string, string> { [key] = value });

        Assert.NotEqual(0, await process.WaitForExitAsync(ExitTimeout));
        var line = AssertSingleStderrLine(process);
        Assert.Contains(key, line);
        Assert.Contains(value, line);
    }

    [Theory]
    [InlineData(null, null, "ARP_AUTH_AUDIENCE")]
    [InlineData("ARP_AUTH_MODE", "required", "ARP_AUTH_AUDIENCE")]
    [InlineData("ARP_AUTH_PROFILE", "keycloak", "ARP_AUTH_AUDIENCE")]
    [InlineData("ARP_AUTH_PROFILE", "prod", "ARP_AUTH_ISSUER")]
    public async Task Required_auth_without_what_it_needs_refuses_to_start_naming_it(string? key, string? value, string named)
    {
        var env = new Dictionary<string, string>();
        if (key is not null) env[key] = value!;
        await using var process = ExecutorProcess.Start(env);

        Assert.Equal(2, await process.WaitForExitAsync(ExitTimeout));
        Assert.Contains(named, AssertSingleStderrLine(process));
    }

    [Fact]
    public async Task With_no_profile_and_an_audience_it_serves_and_requires_tokens_from_the_dev_issuer()
    {
        await using var process = ExecutorProcess.Start(new Dictionary<string, string> { ["ARP_AUTH_AUDIENCE"] = "arp-atomic-executor" });
        await process.WaitUntilServingAsync(TimeSpan.FromSeconds(60)); // /v1/health is exempt

        using var client = new HttpClient { BaseAddress = process.BaseAddress };
        var response = await client.PostAsync("/v1/atomic-node-runs:execute", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Missing Authorization header", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Auth_mode_disabled_starts_the_service()
    {
        await using var process = ExecutorProcess.Start(new Dictionary<string, string> { ["ARP_AUTH_MODE"] = "disabled" });
        await process.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        Assert.False(process.Process.HasExited);
    }

    internal static string AssertSingleStderrLine(ExecutorProcess process)
    {
        var lines = process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}:\n{process.StandardError}");
        Assert.StartsWith("jarvis-atomic-executor: ", lines[0]);
        HttpAssert.AssertNoInternals(lines[0]);
        return lines[0];
    }
}
