using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Jarvis.Actors.Remoting;

/// <summary>Which certificates may speak for a cluster member: those that chain to one of the configured authorities,
/// are valid now, and may be used for both ends of a TLS connection (every member dials and is dialled). Host names are
/// not checked: a member's address comes from its own configuration, and the authority is what vouches for it.</summary>
public static class PeerCertificates
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Akka.Remote's hook, called once per TLS handshake (inbound and outbound): accepts a certificate that
    /// <see cref="Problem"/> finds nothing wrong with, and logs one warning naming the peer and the reason otherwise.</summary>
    public static CertificateValidationCallback AcceptFrom(X509Certificate2Collection authorities) =>
        (certificate, _, peer, _, log) =>
        {
            var problem = certificate is null ? "it presented no certificate" : Problem(certificate, authorities);
            if (problem is null) return true;
            log.Warning("Cluster TLS: refused the peer at {0}: {1}", peer,
                certificate is null ? problem : $"{problem} (subject {certificate.Subject}, issuer {certificate.Issuer}, thumbprint {certificate.Thumbprint})");
            return false;
        };

    /// <summary>Null when <paramref name="certificate"/> may speak for a member; otherwise why not, in one line.</summary>
    public static string? Problem(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.ExtraStore.AddRange(authorities);
        // A private cluster CA publishes no revocation lists, and a member must not reach out to fetch anything.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        try
        {
            if (chain.Build(certificate)) return null;
            var reasons = chain.ChainStatus.Select(s => Describe(s.Status, s.StatusInformation)).Distinct();
            return $"its certificate is not accepted: {string.Join("; ", reasons)}";
        }
        finally
        {
            foreach (var element in chain.ChainElements)
                if (!ReferenceEquals(element.Certificate, certificate)) element.Certificate.Dispose();
        }
    }

    private static string Describe(X509ChainStatusFlags status, string information) => status switch
    {
        X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => "it is not issued by a trusted cluster authority",
        X509ChainStatusFlags.NotTimeValid => "it has expired or is not valid yet",
        X509ChainStatusFlags.NotValidForUsage => "its extended key usage does not allow both TLS server and client authentication",
        _ => information.Trim().TrimEnd('.'),
    };
}
