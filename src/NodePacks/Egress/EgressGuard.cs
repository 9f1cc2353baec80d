using System.Net;
using System.Net.Sockets;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Egress;

/// <summary>
/// Enforces an <see cref="EgressPolicy"/>: http(s) only, block list before allow list, and no loopback,
/// private, link-local, metadata or other non-public address unless an exact allow entry (host name, IP or
/// CIDR) names it. Addresses are checked after resolution, at connect time, and the connection goes to the
/// address that was checked, so neither DNS re-pointing nor a redirect can lead anywhere the policy forbids.
/// </summary>
public sealed class EgressGuard
{
    /// <summary>The IHttpClientFactory name of the guarded client (see <see cref="NodeContextHttp"/>).</summary>
    public const string HttpClientName = "jarvis.egress";

    private readonly IReadOnlyList<HostPattern> _allowed;
    private readonly IReadOnlyList<HostPattern> _blocked;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public EgressGuard(EgressPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        Policy = policy;
        _allowed = policy.AllowedHosts.Select(HostPattern.Parse).ToArray();
        _blocked = policy.BlockedHosts.Select(HostPattern.Parse).ToArray();
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    public EgressPolicy Policy { get; }

    /// <summary>The checks a URL alone allows: scheme, block list, allow list. Addresses are checked on connect.</summary>
    public void CheckUrl(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new EgressDeniedException($"egress to '{url}' refused: only http and https URLs may be fetched");
        var host = HostPattern.NormaliseHost(url.Host);
        if (_blocked.FirstOrDefault(p => p.MatchesHost(host)) is { } blocked)
            throw new EgressDeniedException($"egress to {host} refused: blocked by the entry '{blocked}' of the blocked hosts");
        if (_allowed.Count > 0 && !_allowed.Any(p => p.MatchesHost(host)) && !_allowed.Any(p => !p.IsExact))
            throw new EgressDeniedException($"egress to {host} refused: it is not in the allowed hosts");
    }

    /// <summary>The addresses of <paramref name="host"/> the policy lets us connect to, in resolver order.</summary>
    public async Task<IReadOnlyList<IPAddress>> PermittedAddressesAsync(string host, CancellationToken cancellation)
    {
        host = HostPattern.NormaliseHost(host);
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellation);
        }
        catch (SocketException e)
        {
            throw new HttpRequestException($"the host {host} could not be resolved: {e.Message}", e);
        }
        var permitted = new List<IPAddress>(addresses.Length);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (Refusal(host, address) is { } reason) refusal ??= reason;
            else permitted.Add(address);
        }
        if (permitted.Count == 0)
            throw new EgressDeniedException(refusal ?? $"egress to {host} refused: it resolves to no address");
        return permitted;
    }

    private string? Refusal(string host, IPAddress address)
    {
        var canonical = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_blocked.Any(p => p.MatchesHost(host) || p.MatchesAddress(canonical)))
            return $"egress to {host} ({canonical}) refused: blocked by the blocked hosts";
        var inAllowedRange = _allowed.Any(p => p.MatchesAddress(canonical));
        if (_allowed.Count > 0 && !inAllowedRange && !_allowed.Any(p => p.MatchesHost(host)))
            return $"egress to {host} ({canonical}) refused: it is not in the allowed hosts";
        var kind = AddressClassifier.Classify(canonical);
        if (kind != AddressKind.Public && !inAllowedRange && !_allowed.Any(p => p.IsExact && p.MatchesHost(host)))
            return $"egress to {host} ({canonical}) refused: it is a {Describe(kind)} address; " +
                   "only an exact entry in the allowed hosts (JARVIS_ATOMIC_HTTP_ALLOWED_HOSTS) permits it";
        return null;
    }

    private static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Loopback => "loopback",
        AddressKind.Unspecified => "unspecified",
        AddressKind.Private => "private",
        AddressKind.SharedAddressSpace => "shared (carrier-grade NAT)",
        AddressKind.LinkLocal => "link-local",
        AddressKind.Metadata => "cloud metadata",
        AddressKind.UniqueLocal => "unique-local",
        AddressKind.Multicast => "multicast",
        _ => "reserved",
    };

    /// <summary>The primary handler of the guarded client: no proxy (it would connect for us, unchecked), no
    /// automatic redirects (each hop is the caller's to check), no cookies shared between runs.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = Policy.Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var addresses = await PermittedAddressesAsync(context.DnsEndPoint.Host, cancellation);
        SocketException? lastFailure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastFailure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw lastFailure!;
    }
}
