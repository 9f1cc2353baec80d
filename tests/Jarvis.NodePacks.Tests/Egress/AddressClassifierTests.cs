using System.Net;
using Jarvis.NodePacks.Egress;

namespace Jarvis.NodePacks.Tests.Egress;

/// <summary>The address classes the guard refuses by default. Pure: these tests take an address and connect to
/// nothing, so the non-loopback ranges are covered without ever sending traffic to them.</summary>
public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.0.0.2", AddressKind.Loopback)]
    [InlineData("127.255.255.254", AddressKind.Loopback)]
    [InlineData("::1", AddressKind.Loopback)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("10.255.255.255", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("192.168.1.1", AddressKind.Private)]
    [InlineData("100.64.0.1", AddressKind.SharedAddressSpace)]
    [InlineData("100.100.100.200", AddressKind.SharedAddressSpace)]
    [InlineData("169.254.0.1", AddressKind.LinkLocal)]
    [InlineData("169.254.169.253", AddressKind.LinkLocal)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("169.254.169.254", AddressKind.Metadata)]
    [InlineData("fd00:ec2::254", AddressKind.Metadata)]
    [InlineData("fc00::1", AddressKind.UniqueLocal)]
    [InlineData("fd12:3456:789a::1", AddressKind.UniqueLocal)]
    [InlineData("224.0.0.1", AddressKind.Multicast)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("ff02::1", AddressKind.Multicast)]
    [InlineData("255.255.255.255", AddressKind.Reserved)]
    [InlineData("240.0.0.1", AddressKind.Reserved)]
    [InlineData("192.0.2.10", AddressKind.Reserved)]
    [InlineData("198.51.100.10", AddressKind.Reserved)]
    [InlineData("203.0.113.10", AddressKind.Reserved)]
    [InlineData("198.18.0.1", AddressKind.Reserved)]
    [InlineData("2001:db8::1", AddressKind.Reserved)]
    [InlineData("2001:2::1", AddressKind.Reserved)]        // benchmarking
    [InlineData("3fff::1", AddressKind.Reserved)]          // documentation (RFC 9637)
    [InlineData("2001:0:4136:e378::1", AddressKind.Reserved)] // Teredo
    [InlineData("fec0::1", AddressKind.Reserved)]
    [InlineData("::10.0.0.1", AddressKind.Reserved)]          // deprecated IPv4-compatible
    [InlineData("64:ff9b:1::1", AddressKind.Private)]         // local-use NAT64
    public void Special_purpose_addresses_have_their_class(string address, AddressKind expected)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
        Assert.False(AddressClassifier.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("9.255.255.255")]   // just below 10/8
    [InlineData("11.0.0.0")]        // just above 10/8
    [InlineData("172.15.255.255")]  // just below 172.16/12
    [InlineData("172.32.0.0")]      // just above 172.16/12
    [InlineData("100.63.255.255")]  // just below 100.64/10
    [InlineData("100.128.0.0")]     // just above 100.64/10
    [InlineData("169.253.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::1")]
    public void Public_addresses_are_public(string address)
    {
        Assert.Equal(AddressKind.Public, AddressClassifier.Classify(IPAddress.Parse(address)));
        Assert.True(AddressClassifier.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("::ffff:10.0.0.1", AddressKind.Private)]
    [InlineData("::ffff:192.168.0.1", AddressKind.Private)]
    [InlineData("::ffff:169.254.169.254", AddressKind.Metadata)]
    [InlineData("::ffff:169.254.1.1", AddressKind.LinkLocal)]
    [InlineData("::ffff:0.0.0.0", AddressKind.Unspecified)]
    [InlineData("::ffff:8.8.8.8", AddressKind.Public)]
    public void IPv4_mapped_IPv6_is_judged_by_the_IPv4_address(string address, AddressKind expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("64:ff9b::7f00:1", AddressKind.Loopback)]        // 127.0.0.1
    [InlineData("64:ff9b::a00:1", AddressKind.Private)]          // 10.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", AddressKind.Metadata)]     // 169.254.169.254
    [InlineData("64:ff9b::808:808", AddressKind.Public)]         // 8.8.8.8
    public void NAT64_is_judged_by_the_embedded_IPv4_address(string address, AddressKind expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("2002:7f00:1::1", AddressKind.Loopback)]         // 127.0.0.1
    [InlineData("2002:c0a8:101::", AddressKind.Private)]         // 192.168.1.1
    [InlineData("2002:a9fe:a9fe::1", AddressKind.Metadata)]      // 169.254.169.254
    [InlineData("2002:808:808::1", AddressKind.Public)]          // 8.8.8.8
    public void SixToFour_is_judged_by_the_embedded_IPv4_address(string address, AddressKind expected) =>
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
}
