using System.Security.Cryptography.X509Certificates;

namespace Jarvis.Actors.Remoting;

/// <summary>Mutual TLS on the remoting port (JARVIS_CLUSTER_TLS_*), validated once at start.</summary>
/// <param name="Certificate">This node's certificate with its private key: shown to a peer both when this node dials
/// and when it is dialled.</param>
/// <param name="Authorities">The certificate authorities a peer's certificate must chain to; nothing else is trusted
/// (not the machine's root store).</param>
public sealed record ClusterTlsSettings(X509Certificate2 Certificate, X509Certificate2Collection Authorities)
{
    /// <summary>What the start-up log and /v1/health say about this node's remoting.</summary>
    public string Describe() =>
        $"mutual TLS: certificate {Certificate.Subject} (thumbprint {Certificate.Thumbprint}, valid until " +
        $"{Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}), peers must chain to {string.Join(", ", Authorities.Select(a => a.Subject))}";
}
