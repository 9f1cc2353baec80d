using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Startup;

/// <summary>Bad JARVIS_ATOMIC_HTTP_* values stop the built executable: one stderr line naming the variable and
/// the bad entry, exit code 2. A guard running on a list it half understood would be worse than none.</summary>
public sealed class EgressStartupFailureTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string, string> BadSettings => new()
    {
        // key, value, what the line must name besides the key
        { "JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "10.0.0.1/33", "10.0.0.1/33" },
        { "JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "api.example.com,*.", "*." },
        { "JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "10.0.0.1/8", "10.0.0.1/8" },
        { "JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS", "http://api.example.com", "http://api.example.com" },
        { "JARVIS_ATOMIC_HTTP_BLOCKED_HOSTS", "*.*.example.com", "*.*.example.com" },
        { "JARVIS_ATOMIC_HTTP_BLOCKED_HOSTS", "bad host", "bad host" },
        { "JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", "soon", "soon" },
        { "JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", "0", "0" },
        { "JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS", "-5", "-5" },
        { "JARVIS_ATOMIC_HTTP_MAX_BYTES", "lots", "lots" },
        { "JARVIS_ATOMIC_HTTP_MAX_BYTES", "-1", "-1" },
        { "JARVIS_ATOMIC_HTTP_MAX_BYTES", "1.5", "1.5" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_egress_setting_stops_startup_with_exit_2_and_one_line_naming_it(string key, string value, string named)
    {
        await using var process = ExecutorProcess.Start(new Dictionary<string, string> { ["ARP_AUTH_PROFILE"] = "dev-insecure", [key] = value });

        Assert.Equal(2, await process.WaitForExitAsync(ExitTimeout));
        var line = StartupFailureTests.AssertSingleStderrLine(process);
        Assert.Contains(key, line);
        Assert.Contains(named, line);
    }

    [Fact]
    public async Task Good_egress_settings_start_the_executable()
    {
        await using var process = ExecutorProcess.Start(new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-insecure",
            ["JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS"] = "127.0.0.1, localhost, *.example.invalid, 10.0.0.0/8, [::1]",
            ["JARVIS_ATOMIC_HTTP_BLOCKED_HOSTS"] = "169.254.169.254",
            ["JARVIS_ATOMIC_HTTP_TIMEOUT_SECONDS"] = "2.5",
            ["JARVIS_ATOMIC_HTTP_MAX_BYTES"] = "1000",
        });

        await process.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

        Assert.False(process.Process.HasExited);
    }
}
