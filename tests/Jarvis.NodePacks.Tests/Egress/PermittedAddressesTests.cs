using System.Net;
using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Tests.Egress;

/// <summary><see cref="EgressGuard.PermittedAddressesAsync"/> with an injected resolver: which resolved addresses
/// the guard lets a connection go to. Nothing is resolved for real and nothing is connected to.</summary>
public sealed class PermittedAddressesTests
{
    /// <summary>A fake DNS: names under .invalid mapped to whatever the test needs.</summary>
    private static readonly Dictionary<string, string[]> Dns = new()
    {
        ["public.example.invalid"] = ["93.184.216.34"],
        ["private.example.invalid"] = ["10.0.0.1"],
        ["metadata.example.invalid"] = ["169.254.169.254"],
        ["loopback.example.invalid"] = ["127.0.0.2"],
        ["mapped.example.invalid"] = ["::ffff:10.0.0.1"],
        ["mixed.example.invalid"] = ["10.0.0.1", "93.184.216.34"],
        ["internal.corp.invalid"] = ["10.1.2.3"],
        ["ula.corp.invalid"] = ["fd00::7"],
        ["nothing.example.invalid"] = [],
    };

    private static EgressGuard Guard(string[]? allowed = null, string[]? blocked = null) =>
        new(new EgressPolicy { AllowedHosts = allowed ?? [], BlockedHosts = blocked ?? [] }, Resolve);

    private static Task<IPAddress[]> Resolve(string host, CancellationToken _) =>
        Dns.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses.Select(IPAddress.Parse).ToArray())
            : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);

    private static async Task<string[]> Permitted(EgressGuard guard, string host) =>
        (await guard.PermittedAddressesAsync(host, CancellationToken.None)).Select(a => a.ToString()).ToArray();

    [Fact]
    public async Task With_no_lists_a_public_address_is_permitted() =>
        Assert.Equal(["93.184.216.34"], await Permitted(Guard(), "public.example.invalid"));

    [Theory]
    [InlineData("private.example.invalid", "private")]
    [InlineData("metadata.example.invalid", "metadata")]
    [InlineData("loopback.example.invalid", "loopback")]
    [InlineData("mapped.example.invalid", "private")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("[::1]", "loopback")]
    [InlineData("[::ffff:127.0.0.1]", "loopback")]
    public async Task With_no_lists_a_non_public_address_is_refused_naming_its_class(string host, string kind)
    {
        var error = await Assert.ThrowsAsync<EgressDeniedException>(() => Guard().PermittedAddressesAsync(host, CancellationToken.None));
        Assert.Contains(kind, error.Message);
    }

    [Fact]
    public async Task A_wildcard_allowed_name_that_resolves_to_a_private_address_is_refused()
    {
        var error = await Assert.ThrowsAsync<EgressDeniedException>(
            () => Guard(allowed: ["*.example.invalid"]).PermittedAddressesAsync("private.example.invalid", CancellationToken.None));
        Assert.Contains("10.0.0.1", error.Message);
        Assert.Contains("private", error.Message);
    }

    [Fact]
    public async Task A_wildcard_allowed_name_that_resolves_to_a_public_address_is_permitted() =>
        Assert.Equal(["93.184.216.34"], await Permitted(Guard(allowed: ["*.example.invalid"]), "public.example.invalid"));

    [Theory]
    [InlineData("loopback.example.invalid", "127.0.0.2")]
    [InlineData("private.example.invalid", "10.0.0.1")]
    [InlineData("metadata.example.invalid", "169.254.169.254")]
    public async Task An_exact_allowed_name_may_reach_its_non_public_address(string host, string address) =>
        Assert.Equal([address], await Permitted(Guard(allowed: [host]), host));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    public async Task An_exact_allowed_address_may_be_reached(string address) =>
        Assert.Equal([address], await Permitted(Guard(allowed: [address]), address));

    [Fact]
    public async Task An_allowed_address_does_not_open_its_neighbour()
    {
        var guard = Guard(allowed: ["127.0.0.1"]);
        await Assert.ThrowsAsync<EgressDeniedException>(() => guard.PermittedAddressesAsync("127.0.0.2", CancellationToken.None));
    }

    [Fact]
    public async Task A_name_that_is_not_allowed_is_refused_even_when_public()
    {
        var error = await Assert.ThrowsAsync<EgressDeniedException>(
            () => Guard(allowed: ["other.example.invalid"]).PermittedAddressesAsync("public.example.invalid", CancellationToken.None));
        Assert.Contains("not in the allowed hosts", error.Message);
    }

    [Fact]
    public async Task A_CIDR_allow_entry_permits_names_resolving_into_it_even_when_private() =>
        Assert.Equal(["10.1.2.3"], await Permitted(Guard(allowed: ["10.0.0.0/8"]), "internal.corp.invalid"));

    [Fact]
    public async Task A_CIDR_allow_entry_refuses_names_resolving_outside_it()
    {
        var guard = Guard(allowed: ["10.0.0.0/8"]);
        await Assert.ThrowsAsync<EgressDeniedException>(() => guard.PermittedAddressesAsync("metadata.example.invalid", CancellationToken.None));
        await Assert.ThrowsAsync<EgressDeniedException>(() => guard.PermittedAddressesAsync("public.example.invalid", CancellationToken.None));
    }

    [Fact]
    public async Task An_IPv6_CIDR_allow_entry_permits_a_unique_local_address() =>
        Assert.Equal(["fd00::7"], await Permitted(Guard(allowed: ["fd00::/8"]), "ula.corp.invalid"));

    [Theory]
    [InlineData("public.example.invalid")]   // by name
    [InlineData("*.example.invalid")]        // by wildcard
    [InlineData("93.184.216.0/24")]          // by the address it resolves to
    public async Task The_block_list_wins_over_the_allow_list(string blockedEntry)
    {
        var guard = Guard(allowed: ["public.example.invalid"], blocked: [blockedEntry]);
        var error = await Assert.ThrowsAsync<EgressDeniedException>(() => guard.PermittedAddressesAsync("public.example.invalid", CancellationToken.None));
        Assert.Contains("blocked", error.Message);
    }

    [Fact]
    public async Task A_blocked_range_refuses_an_exactly_allowed_name_resolving_into_it()
    {
        var guard = Guard(allowed: ["private.example.invalid"], blocked: ["10.0.0.0/8"]);
        await Assert.ThrowsAsync<EgressDeniedException>(() => guard.PermittedAddressesAsync("private.example.invalid", CancellationToken.None));
    }

    [Fact]
    public async Task Of_mixed_addresses_only_the_permitted_ones_are_returned() =>
        Assert.Equal(["93.184.216.34"], await Permitted(Guard(), "mixed.example.invalid"));

    [Fact]
    public async Task A_name_resolving_to_no_address_is_refused() =>
        await Assert.ThrowsAsync<EgressDeniedException>(() => Guard().PermittedAddressesAsync("nothing.example.invalid", CancellationToken.None));

    [Fact]
    public async Task A_name_that_does_not_resolve_is_an_HttpRequestException() =>
        await Assert.ThrowsAsync<HttpRequestException>(() => Guard().PermittedAddressesAsync("unknown.example.invalid", CancellationToken.None));

    [Fact]
    public async Task IP_literals_are_not_resolved()
    {
        var guard = new EgressGuard(new EgressPolicy { AllowedHosts = ["127.0.0.1"] },
            (host, _) => throw new InvalidOperationException($"{host} was resolved"));
        Assert.Equal([IPAddress.Loopback], await guard.PermittedAddressesAsync("127.0.0.1", CancellationToken.None));
    }
}
