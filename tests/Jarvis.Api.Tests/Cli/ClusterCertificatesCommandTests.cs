using System.Security.Cryptography.X509Certificates;
using Jarvis.Api.Cli;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Cli;

/// <summary><c>jarvis-atomic-executor cluster-certs</c>: a cluster CA and node certificates for cluster TLS, made
/// once and kept on later runs (the compose recipe runs it at every start).</summary>
public sealed class ClusterCertificatesCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jarvis-cluster-certs-");
    private string Out => Path.Combine(_directory.FullName, "tls");
    private string Authority => Path.Combine(_directory.FullName, "ca");

    [Fact]
    public void It_issues_node_certificates_that_chain_to_its_ca_for_both_ends_of_tls_and_keeps_them_on_a_second_run()
    {
        Assert.Equal(0, Run("--out", Out, "--ca-dir", Authority, "--nodes", "executor-1,executor-2"));
        var password = File.ReadAllText(Path.Combine(Out, "password")).TrimEnd('\n');
        using var authority = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Out, "ca.crt"));
        Assert.True(File.Exists(Path.Combine(Authority, "ca.key")));
        Assert.False(File.Exists(Path.Combine(Out, "ca.key")), "the CA's key was written beside the node files");
        foreach (var node in new[] { "executor-1", "executor-2" })
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(Out, $"{node}.p12"), password);
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal($"CN={node}", certificate.Subject);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new("1.3.6.1.5.5.7.3.1"));
            chain.ChainPolicy.ApplicationPolicy.Add(new("1.3.6.1.5.5.7.3.2"));
            Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        }
        if (!OperatingSystem.IsWindows())
            foreach (var secret in new[] { Path.Combine(Authority, "ca.key"), Path.Combine(Out, "password"), Path.Combine(Out, "executor-1.p12") })
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));

        var first = File.ReadAllBytes(Path.Combine(Out, "executor-1.p12"));
        var output = new StringWriter();
        Assert.Equal(0, ClusterCertificatesCommand.Run(["--out", Out, "--ca-dir", Authority, "--nodes", "executor-1,executor-2,executor-3"], output, new StringWriter()));
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(Out, "executor-1.p12")));
        Assert.Contains("kept the cluster CA", output.ToString());
        Assert.Contains($"issued {Path.Combine(Out, "executor-3.p12")}", output.ToString());
        Assert.Equal(password, File.ReadAllText(Path.Combine(Out, "password")).TrimEnd('\n'));
    }

    [Fact]
    public async Task An_executor_started_with_them_runs_its_cluster_over_mutual_tls()
    {
        Assert.Equal(0, Run("--out", Out, "--nodes", "executor-1"));
        await using var process = ExecutorProcess.Start(new Dictionary<string, string>
        {
            ["ARP_AUTH_PROFILE"] = "dev-insecure",
            ["JARVIS_CLUSTER_ENABLED"] = "true",
            ["JARVIS_CLUSTER_PORT"] = "0",
            ["JARVIS_CLUSTER_SELF_JOIN"] = "true",
            ["JARVIS_CLUSTER_TLS_CERT"] = Path.Combine(Out, "executor-1.p12"),
            ["JARVIS_CLUSTER_TLS_CERT_PASSWORD_FILE"] = Path.Combine(Out, "password"),
            ["JARVIS_CLUSTER_TLS_CA"] = Path.Combine(Out, "ca.crt"),
        });
        await process.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = process.BaseAddress };

        var health = await Eventually.UntilAsync(() => HealthReader.GetAsync(client),
            h => h.CheckNode("cluster")["details"]?["members_up"]?.GetValue<int>() == 1,
            TimeSpan.FromSeconds(30), "the node to be an up member of its own cluster");
        var cluster = health.CheckNode("cluster");

        Assert.Equal("mutual_tls", cluster["details"]!["remoting"]!.GetValue<string>());
        Assert.StartsWith("akka.ssl.tcp://jarvis@", cluster["details"]!["self"]!.GetValue<string>());
    }

    [Theory]
    [InlineData]
    [InlineData("--out")]
    [InlineData("--nodes", "a,b")]
    [InlineData("--out", "x", "--nodes", "bad name")]
    [InlineData("--out", "x", "--nodes", "a", "--what", "y")]
    public void Bad_arguments_exit_2_with_the_usage(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, ClusterCertificatesCommand.Run(args, new StringWriter(), error));
        Assert.StartsWith("usage: jarvis-atomic-executor cluster-certs --out DIR --nodes", error.ToString());
    }

    private static int Run(params string[] args) => ClusterCertificatesCommand.Run(args, new StringWriter(), new StringWriter());

    public void Dispose() => _directory.Delete(recursive: true);
}
