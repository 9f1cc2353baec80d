using System.Globalization;
using System.Net;

namespace Jarvis.NodePacks.Egress;

/// <summary>One entry of an allow or block list: a host name, a <c>*.suffix</c> wildcard, an IP literal
/// or a CIDR range. Names are compared case-insensitively after IDN (punycode) normalisation.</summary>
public sealed class HostPattern
{
    private static readonly IdnMapping Idn = new();

    private readonly string? _name;
    private readonly string? _suffix;
    private readonly IPNetwork? _network;

    private HostPattern(string text, string? name, string? suffix, IPNetwork? network)
    {
        Text = text;
        _name = name;
        _suffix = suffix;
        _network = network;
    }

    public string Text { get; }

    /// <summary>True for a single host name or address: such an entry may reach a non-public address.
    /// A wildcard may not, so a public domain cannot be re-pointed at an internal address.</summary>
    public bool IsExact => _name is not null || _network is { PrefixLength: 32 or 128 };

    public static HostPattern Parse(string text)
    {
        var entry = text.Trim();
        if (entry.Length == 0) throw new FormatException("an empty host entry");
        var unbracketed = entry.StartsWith('[') && entry.EndsWith(']') ? entry[1..^1] : entry;
        if (IPAddress.TryParse(unbracketed, out var ip) && !unbracketed.Contains('/'))
        {
            var canonical = Canonical(ip);
            return new HostPattern(entry, null, null,
                new IPNetwork(canonical, canonical.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
        }
        if (entry.Contains('/'))
        {
            // IPNetwork.TryParse masks bits set beyond the prefix (10.0.0.1/8 becomes 10.0.0.0/8): refuse such an
            // entry rather than guess whether it meant the one address or the whole range.
            if (!IPNetwork.TryParse(entry, out var network) ||
                !IPAddress.TryParse(entry[..entry.IndexOf('/')], out var written) || !written.Equals(network.BaseAddress))
                throw new FormatException($"'{entry}' is not a CIDR range (a prefix must have no bits set beyond its length)");
            return new HostPattern(entry, null, null, network);
        }
        if (entry.StartsWith("*.", StringComparison.Ordinal))
            return new HostPattern(entry, null, "." + NormaliseName(entry[2..], entry), null);
        return new HostPattern(entry, NormaliseName(entry, entry), null, null);
    }

    public static IReadOnlyList<HostPattern> ParseList(string? commaSeparated) =>
        (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Parse).ToArray();

    /// <summary>Whether the URL host (already normalised by <see cref="NormaliseHost"/>) is named by this entry.</summary>
    public bool MatchesHost(string host)
    {
        if (_name is not null) return _name == host;
        if (_suffix is not null) return host.EndsWith(_suffix, StringComparison.Ordinal);
        return IPAddress.TryParse(host, out var ip) && _network!.Value.Contains(Canonical(ip));
    }

    /// <summary>Whether a resolved address falls in this entry's range (names and wildcards never match addresses).</summary>
    public bool MatchesAddress(IPAddress address) => _network is { } network && network.Contains(Canonical(address));

    /// <summary>Lower-case, IDN as punycode, no trailing dot, IPv6 without brackets. Lower-cased before the
    /// punycode conversion too: with invariant globalization IdnMapping does not case-fold (BÜCHER would not
    /// become the same punycode as bücher).</summary>
    public static string NormaliseHost(string host)
    {
        var h = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(h, out var ip)) return Canonical(ip).ToString();
        try { return Idn.GetAscii(h.TrimEnd('.').ToLowerInvariant()).ToLowerInvariant(); }
        catch (ArgumentException) { return h.TrimEnd('.').ToLowerInvariant(); }
    }

    private static string NormaliseName(string name, string entry)
    {
        try
        {
            var ascii = Idn.GetAscii(name.TrimEnd('.').ToLowerInvariant()).ToLowerInvariant();
            if (ascii.Length == 0 || ascii.Contains('*') || Uri.CheckHostName(ascii) != UriHostNameType.Dns)
                throw new FormatException($"'{entry}' is not a host name, *.domain wildcard, IP address or CIDR range");
            return ascii;
        }
        catch (ArgumentException)
        {
            throw new FormatException($"'{entry}' is not a host name, *.domain wildcard, IP address or CIDR range");
        }
    }

    /// <summary>IPv4-mapped IPv6 addresses are the IPv4 address they map.</summary>
    private static IPAddress Canonical(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

    public override string ToString() => Text;
}
