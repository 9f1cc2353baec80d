using System.Net;
using Jarvis.NodePacks.Egress;

namespace Jarvis.NodePacks.Tests.Egress;

/// <summary>Allow and block list entries: what parses, what each kind matches, and which entries are exact.</summary>
public sealed class HostPatternTests
{
    [Theory]
    [InlineData("10.0.0.1/33")]     // prefix beyond 32 bits
    [InlineData("::1/129")]
    [InlineData("10.0.0.1/8")]      // bits set beyond the prefix: 10.0.0.1 or 10.0.0.0/8?
    [InlineData("fd00::1/8")]
    [InlineData("10.0.0.0/x")]
    [InlineData("/8")]
    [InlineData("*.")]
    [InlineData("*")]
    [InlineData("*.*.example.com")]
    [InlineData("api.*.example.com")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("exa mple.com")]
    [InlineData("example.com:8080")]
    [InlineData("http://example.com")]
    public void Bad_entries_are_a_FormatException_naming_the_entry(string entry)
    {
        var error = Assert.Throws<FormatException>(() => HostPattern.Parse(entry));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        if (entry.Trim().Length > 0) Assert.Contains(entry.Trim(), error.Message);
    }

    [Theory]
    [InlineData("api.example.com", true)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("10.0.0.5/32", true)]
    [InlineData("fd00::1/128", true)]
    [InlineData("*.example.com", false)]
    [InlineData("10.0.0.0/8", false)]
    [InlineData("fd00::/8", false)]
    public void Only_single_names_and_single_addresses_are_exact(string entry, bool exact) =>
        Assert.Equal(exact, HostPattern.Parse(entry).IsExact);

    [Theory]
    [InlineData("api.example.com", "api.example.com", true)]
    [InlineData("API.Example.COM.", "api.example.com", true)]
    [InlineData("api.example.com", "example.com", false)]
    [InlineData("api.example.com", "api.example.com.evil", false)]
    [InlineData("*.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "evilexample.com", false)]
    [InlineData("*.example.com", "example.com.evil", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.1", "localhost", false)]
    [InlineData("localhost", "127.0.0.1", false)]
    [InlineData("10.0.0.0/8", "10.200.3.4", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("10.0.0.0/8", "ten.example.com", false)]
    [InlineData("[::1]", "::1", true)]
    [InlineData("fd00::/8", "fd12::1", true)]
    public void Entries_match_normalised_hosts(string entry, string host, bool matches) =>
        Assert.Equal(matches, HostPattern.Parse(entry).MatchesHost(HostPattern.NormaliseHost(host)));

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "192.168.0.1", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("localhost", "127.0.0.1", false)]      // names never match addresses
    [InlineData("*.example.com", "93.184.216.34", false)]
    public void Only_address_and_CIDR_entries_match_resolved_addresses(string entry, string address, bool matches) =>
        Assert.Equal(matches, HostPattern.Parse(entry).MatchesAddress(IPAddress.Parse(address)));

    [Theory]
    [InlineData("bücher.example", "http://xn--bcher-kva.example/")]
    [InlineData("BÜCHER.example", "http://bücher.example/")]
    [InlineData("xn--bcher-kva.example", "http://BÜCHER.EXAMPLE/")]
    [InlineData("*.bücher.example", "http://www.xn--bcher-kva.example/")]
    public void International_names_match_whatever_their_case_and_spelling(string entry, string url) =>
        Assert.True(HostPattern.Parse(entry).MatchesHost(HostPattern.NormaliseHost(new Uri(url).Host)));

    [Fact]
    public void An_international_host_is_normalised_to_lower_case_punycode() =>
        Assert.Equal("xn--bcher-kva.example", HostPattern.NormaliseHost("BÜCHER.Example."));

    [Theory]
    [InlineData("[::1]", "::1")]
    [InlineData("::FFFF:127.0.0.1", "127.0.0.1")]
    [InlineData("Example.COM.", "example.com")]
    public void Hosts_are_normalised(string host, string normalised) =>
        Assert.Equal(normalised, HostPattern.NormaliseHost(host));

    [Fact]
    public void A_list_is_comma_separated_with_blanks_ignored_and_entries_kept_as_written()
    {
        var list = HostPattern.ParseList(" api.example.com, ,*.corp.example ,10.0.0.0/8,");

        Assert.Equal(["api.example.com", "*.corp.example", "10.0.0.0/8"], list.Select(p => p.Text));
        Assert.Empty(HostPattern.ParseList(null));
        Assert.Empty(HostPattern.ParseList(""));
    }

    [Fact]
    public void A_list_with_one_bad_entry_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => HostPattern.ParseList("api.example.com,10.0.0.1/33"));
        Assert.Contains("10.0.0.1/33", error.Message);
    }
}
