using Jarvis.Api.Tests.Infrastructure;
using Jarvis.Tests.Shared;

namespace Jarvis.Api.Tests.Startup;

/// <summary>Cluster TLS settings are checked before anything starts, so that no node finds out at its first handshake:
/// each bad JARVIS_CLUSTER_TLS_* setting is one stderr line naming it and what is wrong, and exit code 2.</summary>
public sealed class ClusterTlsStartupTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private const string Seed = "akka.ssl.tcp://jarvis@127.0.0.1:4053";
    private readonly TestCertificates _certificates = new();

    public static TheoryData<string, string> BadSettings => new()
    {
        // case, what the one line must say
        { "certificate file missing", ": no such file" },
        { "certificate path a directory", "is a directory; name the file" },
        { "CA path a directory", "is a directory; name the file" },
        { "wrong password", "cannot be opened as a PKCS#12 file with the password given" },
        { "no password for a protected file", "cannot be opened as a PKCS#12 file with the password given" },
        { "PEM instead of PKCS#12", "cannot be opened as a PKCS#12 file" },
        { "certificate without its private key", "holds no private key" },
        { "certificate without a CA", "JARVIS_CLUSTER_TLS_CA" },
        { "CA without a certificate", "JARVIS_CLUSTER_TLS_CA is set without JARVIS_CLUSTER_TLS_CERT" },
        { "password without a certificate", "JARVIS_CLUSTER_TLS_CERT_PASSWORD is set without JARVIS_CLUSTER_TLS_CERT" },
        { "CA file missing", "JARVIS_CLUSTER_TLS_CA=" },
        { "CA file with a broken certificate", "holds no readable certificate" },
        { "CA file not a certificate", "is not a certificate" },
        { "certificate from another CA", "not issued by a trusted cluster authority" },
        { "expired certificate", "expired" },
        { "certificate for servers only", "extended key usage" },
        { "password and password file", "JARVIS_CLUSTER_TLS_CERT_PASSWORD and JARVIS_CLUSTER_TLS_CERT_PASSWORD_FILE are both set" },
        { "password file missing", "JARVIS_CLUSTER_TLS_CERT_PASSWORD_FILE=" },
        { "plain seeds with TLS on", "expected akka.ssl.tcp://jarvis@HOST:PORT" },
        { "TLS seeds with TLS off", "cluster TLS is off" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Bad_cluster_tls_setting_stops_startup_with_exit_2_and_one_line_saying_what_is_wrong(string @case, string said)
    {
        await using var process = ExecutorProcess.Start(Environment(@case));

        Assert.Equal(2, await process.WaitForExitAsync(ExitTimeout));
        Assert.Contains(said, StartupFailureTests.AssertSingleStderrLine(process));
    }

    [Fact]
    public async Task A_certificate_expiring_within_30_days_starts_with_a_warning_saying_when()
    {
        var env = ValidEnvironment();
        env.Remove("JARVIS_CLUSTER_SEEDS");
        env["JARVIS_CLUSTER_SELF_JOIN"] = "true";
        var notAfter = DateTimeOffset.UtcNow.AddDays(10);
        env["JARVIS_CLUSTER_TLS_CERT"] = _certificates.IssueNode("expiring", notAfter: notAfter);
        await using var process = ExecutorProcess.Start(env);

        await process.WaitUntilServingAsync(ExitTimeout);
        await Eventually.UntilAsync(() => Task.FromResult(process.StandardOutput.Contains("The cluster TLS certificate expires in", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the expiry warning");
        Assert.Contains($"({notAfter.UtcDateTime:yyyy-MM-dd HH:mm} UTC)", process.StandardOutput);
    }

    /// <summary>A node with TLS settings that work: each case spoils one thing.</summary>
    private Dictionary<string, string> ValidEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-insecure",
            ["JARVIS_CLUSTER_ENABLED"] = "true",
            ["JARVIS_CLUSTER_PORT"] = "0",
            ["JARVIS_CLUSTER_SEEDS"] = Seed,
        };
        foreach (var (key, value) in _certificates.NodeEnvironment("node")) env[key] = value;
        return env;
    }

    private Dictionary<string, string> Environment(string @case)
    {
        var env = ValidEnvironment();
        var directory = _certificates.Directory;
        switch (@case)
        {
            case "certificate file missing": env["JARVIS_CLUSTER_TLS_CERT"] = Path.Combine(directory, "absent.p12"); break;
            case "certificate path a directory": env["JARVIS_CLUSTER_TLS_CERT"] = directory; break;
            case "CA path a directory": env["JARVIS_CLUSTER_TLS_CA"] = directory; break;
            case "wrong password": env["JARVIS_CLUSTER_TLS_CERT_PASSWORD"] = "not-the-password"; break;
            case "no password for a protected file": env.Remove("JARVIS_CLUSTER_TLS_CERT_PASSWORD"); break;
            case "PEM instead of PKCS#12": env["JARVIS_CLUSTER_TLS_CERT"] = _certificates.AuthorityPath; break;
            case "certificate without its private key": env["JARVIS_CLUSTER_TLS_CERT"] = _certificates.IssueWithoutKey("node"); break;
            case "certificate without a CA": env.Remove("JARVIS_CLUSTER_TLS_CA"); break;
            case "CA without a certificate":
                env.Remove("JARVIS_CLUSTER_TLS_CERT");
                env.Remove("JARVIS_CLUSTER_TLS_CERT_PASSWORD");
                break;
            case "password without a certificate":
                env.Remove("JARVIS_CLUSTER_TLS_CERT");
                env.Remove("JARVIS_CLUSTER_TLS_CA");
                break;
            case "CA file missing": env["JARVIS_CLUSTER_TLS_CA"] = Path.Combine(directory, "absent.crt"); break;
            case "CA file with a broken certificate":
                var broken = Path.Combine(directory, "broken.crt");
                File.WriteAllText(broken, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
                env["JARVIS_CLUSTER_TLS_CA"] = broken;
                break;
            case "CA file not a certificate":
                var junk = Path.Combine(directory, "junk.crt");
                File.WriteAllText(junk, "this is not a certificate\n");
                env["JARVIS_CLUSTER_TLS_CA"] = junk;
                break;
            case "certificate from another CA":
                using (var other = new TestCertificates("jarvis test cluster CA"))
                {
                    // the same name, another key: trust follows the key, not the name
                    var elsewhere = Path.Combine(directory, "elsewhere.p12");
                    File.Copy(other.IssueNode("node"), elsewhere);
                    env["JARVIS_CLUSTER_TLS_CERT"] = elsewhere;
                }
                break;
            case "expired certificate":
                env["JARVIS_CLUSTER_TLS_CERT"] = _certificates.IssueNode("expired", notAfter: DateTimeOffset.UtcNow.AddDays(-1));
                break;
            case "certificate for servers only":
                env["JARVIS_CLUSTER_TLS_CERT"] = _certificates.IssueNode("server-only", TestCertificates.Usages(TestCertificates.ServerAuthentication));
                break;
            case "password and password file":
                var both = Path.Combine(directory, "password");
                File.WriteAllText(both, TestCertificates.Password + "\n");
                env["JARVIS_CLUSTER_TLS_CERT_PASSWORD_FILE"] = both;
                break;
            case "password file missing":
                env.Remove("JARVIS_CLUSTER_TLS_CERT_PASSWORD");
                env["JARVIS_CLUSTER_TLS_CERT_PASSWORD_FILE"] = Path.Combine(directory, "absent-password");
                break;
            case "plain seeds with TLS on": env["JARVIS_CLUSTER_SEEDS"] = "akka.tcp://jarvis@127.0.0.1:4053"; break;
            case "TLS seeds with TLS off":
                foreach (var key in env.Keys.Where(k => k.StartsWith("JARVIS_CLUSTER_TLS_", StringComparison.Ordinal)).ToList()) env.Remove(key);
                break;
            default: throw new ArgumentException($"unknown case {@case}");
        }
        return env;
    }

    public void Dispose() => _certificates.Dispose();
}
