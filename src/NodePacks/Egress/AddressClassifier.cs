using System.Net;
using System.Net.Sockets;

namespace Jarvis.NodePacks.Egress;

/// <summary>What kind of network an address belongs to. Only <see cref="Public"/> is reachable by default.</summary>
public enum AddressKind
{
    Public,
    Loopback,
    Unspecified,
    Private,
    SharedAddressSpace,
    LinkLocal,
    Metadata,
    UniqueLocal,
    Multicast,
    Reserved,
}

/// <summary>Classifies IP addresses by the IANA special-purpose registries. Addresses that embed an IPv4
/// address (IPv4-mapped, NAT64, 6to4) are judged by the embedded address, so no IPv6 spelling of a private
/// IPv4 address passes as public. Pure: takes an address, connects to nothing.</summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressKind Kind)[] V4Ranges =
    [
        (Net("169.254.169.254/32"), AddressKind.Metadata),   // cloud instance metadata (AWS, GCP, Azure, OpenStack)
        (Net("0.0.0.0/8"), AddressKind.Unspecified),
        (Net("10.0.0.0/8"), AddressKind.Private),
        (Net("100.64.0.0/10"), AddressKind.SharedAddressSpace), // carrier-grade NAT; also Alibaba's metadata 100.100.100.200
        (Net("127.0.0.0/8"), AddressKind.Loopback),
        (Net("169.254.0.0/16"), AddressKind.LinkLocal),
        (Net("172.16.0.0/12"), AddressKind.Private),
        (Net("192.0.0.0/24"), AddressKind.Reserved),           // IETF protocol assignments
        (Net("192.0.2.0/24"), AddressKind.Reserved),           // documentation
        (Net("192.88.99.0/24"), AddressKind.Reserved),         // deprecated 6to4 relay anycast
        (Net("192.168.0.0/16"), AddressKind.Private),
        (Net("198.18.0.0/15"), AddressKind.Reserved),          // benchmarking
        (Net("198.51.100.0/24"), AddressKind.Reserved),        // documentation
        (Net("203.0.113.0/24"), AddressKind.Reserved),         // documentation
        (Net("224.0.0.0/4"), AddressKind.Multicast),
        (Net("240.0.0.0/4"), AddressKind.Reserved),            // includes broadcast 255.255.255.255
    ];

    private static readonly (IPNetwork Network, AddressKind Kind)[] V6Ranges =
    [
        (Net("fd00:ec2::254/128"), AddressKind.Metadata),      // AWS instance metadata over IPv6
        (Net("::/128"), AddressKind.Unspecified),
        (Net("::1/128"), AddressKind.Loopback),
        (Net("::/96"), AddressKind.Reserved),                  // deprecated IPv4-compatible
        (Net("100::/64"), AddressKind.Reserved),               // discard-only
        (Net("2001::/32"), AddressKind.Reserved),              // Teredo: tunnels to an address we cannot see
        (Net("2001:2::/48"), AddressKind.Reserved),            // benchmarking
        (Net("2001:db8::/32"), AddressKind.Reserved),          // documentation
        (Net("3fff::/20"), AddressKind.Reserved),              // documentation (RFC 9637)
        (Net("fc00::/7"), AddressKind.UniqueLocal),
        (Net("fe80::/10"), AddressKind.LinkLocal),
        (Net("fec0::/10"), AddressKind.Reserved),              // deprecated site-local
        (Net("ff00::/8"), AddressKind.Multicast),
    ];

    private static readonly IPNetwork Nat64 = Net("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = Net("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = Net("2002::/16");

    public static AddressKind Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return Lookup(V4Ranges, address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return AddressKind.Reserved;
        if (address.IsIPv4MappedToIPv6) return Classify(address.MapToIPv4());
        if (EmbeddedV4(address) is { } embedded) return Classify(embedded);
        if (Nat64Local.Contains(address)) return AddressKind.Private;
        return Lookup(V6Ranges, address);
    }

    public static bool IsPublic(IPAddress address) => Classify(address) == AddressKind.Public;

    /// <summary>The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address stands for.</summary>
    private static IPAddress? EmbeddedV4(IPAddress v6)
    {
        var bytes = v6.GetAddressBytes();
        if (Nat64.Contains(v6)) return new IPAddress(bytes.AsSpan(12, 4));
        if (SixToFour.Contains(v6)) return new IPAddress(bytes.AsSpan(2, 4));
        return null;
    }

    private static AddressKind Lookup((IPNetwork Network, AddressKind Kind)[] ranges, IPAddress address)
    {
        foreach (var (network, kind) in ranges)
            if (network.Contains(address)) return kind;
        return AddressKind.Public;
    }

    private static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);
}
