using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Tests.Egress;

/// <summary><see cref="EgressGuard.CheckUrl"/>: what a URL alone decides (scheme, block list, allow list).
/// Checks only: nothing is resolved or connected to.</summary>
public sealed class EgressGuardUrlCheckTests
{
    private static EgressGuard Guard(string[]? allowed = null, string[]? blocked = null) =>
        new(new EgressPolicy { AllowedHosts = allowed ?? [], BlockedHosts = blocked ?? [] }, NoResolver);

    private static Task<System.Net.IPAddress[]> NoResolver(string host, CancellationToken _) =>
        throw new InvalidOperationException($"a URL check must not resolve {host}");

    [Theory]
    [InlineData("ftp://api.example.com/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://api.example.com/")]
    [InlineData("ws://api.example.com/")]
    public void Only_http_and_https_pass(string url)
    {
        var error = Assert.Throws<EgressDeniedException>(() => Guard().CheckUrl(new Uri(url)));
        Assert.Contains("only http and https", error.Message);
    }

    [Theory]
    [InlineData("http://api.example.com/")]
    [InlineData("https://api.example.com/x?y=1")]
    public void With_no_lists_http_and_https_pass_the_url_check(string url) => Guard().CheckUrl(new Uri(url));

    [Theory]
    [InlineData("http://api.example.com/", "api.example.com")]
    [InlineData("http://API.EXAMPLE.COM./", "api.example.com")]
    [InlineData("http://deep.corp.example/", "*.corp.example")]
    [InlineData("http://10.1.2.3/", "10.0.0.0/8")]
    [InlineData("http://[::ffff:10.1.2.3]/", "10.0.0.0/8")]
    [InlineData("http://[fd00::5]/", "fd00::/8")]
    public void A_blocked_host_is_refused_naming_the_entry(string url, string entry)
    {
        var error = Assert.Throws<EgressDeniedException>(() => Guard(blocked: [entry]).CheckUrl(new Uri(url)));
        Assert.Contains(entry, error.Message);
    }

    [Fact]
    public void The_block_list_wins_over_the_allow_list()
    {
        var guard = Guard(allowed: ["api.example.com"], blocked: ["api.example.com"]);
        Assert.Throws<EgressDeniedException>(() => guard.CheckUrl(new Uri("https://api.example.com/")));
    }

    [Theory]
    [InlineData("http://api.example.com/")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://localhost/")]
    public void With_exact_entries_only_a_host_not_named_is_refused(string url)
    {
        var error = Assert.Throws<EgressDeniedException>(
            () => Guard(allowed: ["other.example.com", "127.0.0.2"]).CheckUrl(new Uri(url)));
        Assert.Contains("not in the allowed hosts", error.Message);
    }

    [Theory]
    [InlineData("http://other.example.com/")]
    [InlineData("https://OTHER.example.com:8443/path")]
    [InlineData("http://127.0.0.2:1234/")]
    public void A_host_named_by_an_exact_entry_passes(string url) =>
        Guard(allowed: ["other.example.com", "127.0.0.2"]).CheckUrl(new Uri(url));

    [Fact]
    public void With_a_range_entry_names_are_left_to_the_connect_time_check()
    {
        // A name may resolve into an allowed CIDR range: only its addresses can tell, at connect time.
        Guard(allowed: ["10.0.0.0/8"]).CheckUrl(new Uri("http://service.internal.invalid/"));
    }
}
