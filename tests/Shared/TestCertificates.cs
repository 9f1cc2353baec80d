using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jarvis.Tests.Shared;

/// <summary>A throw-away certificate authority for cluster TLS tests, its files in a temporary directory removed on
/// dispose: the CA certificate (PEM) and, per node, a PKCS#12 file with the node's certificate and key, usable for both
/// ends of a TLS connection (as the README's openssl recipe makes them). ECDSA P-256 keys: quick to make.</summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "test-cluster-secret";

    private readonly ECDsa _authorityKey;
    private readonly X509Certificate2 _authority;

    public TestCertificates(string authorityName = "jarvis test cluster CA")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("jarvis-tls-").FullName;
        _authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={authorityName}", _authorityKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        AuthorityPath = Path.Combine(Directory, "ca.crt");
        File.WriteAllText(AuthorityPath, _authority.ExportCertificatePem());
    }

    public string Directory { get; }

    /// <summary>The CA certificate, PEM (JARVIS_CLUSTER_TLS_CA).</summary>
    public string AuthorityPath { get; }

    /// <summary>Issues a node certificate and writes it with its key to <c>{name}.p12</c> (password <see cref="Password"/>).</summary>
    /// <param name="usages">Extended key usages; both TLS server and client authentication unless given.</param>
    /// <param name="notAfter">Expiry; a year from now unless given.</param>
    public string IssueNode(string name, OidCollection? usages = null, DateTimeOffset? notAfter = null)
    {
        using var certificate = Issue(name, usages, notAfter);
        var path = Path.Combine(Directory, $"{name}.p12");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    /// <summary>A PKCS#12 file holding a node certificate without its private key.</summary>
    public string IssueWithoutKey(string name)
    {
        using var certificate = Issue(name, null, null);
        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        var path = Path.Combine(Directory, $"{name}-no-key.p12");
        File.WriteAllBytes(path, publicOnly.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    /// <summary>The JARVIS_CLUSTER_TLS_* settings of a node named <paramref name="name"/> (its certificate issued now).</summary>
    public Dictionary<string, string> NodeEnvironment(string name) => new()
    {
        ["JARVIS_CLUSTER_TLS_CERT"] = IssueNode(name),
        ["JARVIS_CLUSTER_TLS_CERT_PASSWORD"] = Password,
        ["JARVIS_CLUSTER_TLS_CA"] = AuthorityPath,
    };

    public static OidCollection Usages(params string[] oids)
    {
        var collection = new OidCollection();
        foreach (var oid in oids) collection.Add(new Oid(oid));
        return collection;
    }

    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    private X509Certificate2 Issue(string name, OidCollection? usages, DateTimeOffset? notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages ?? Usages(ServerAuthentication, ClientAuthentication), false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var expiry = notAfter ?? DateTimeOffset.UtcNow.AddYears(1);
        if (expiry <= notBefore) notBefore = expiry.AddDays(-30);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_authority.SubjectName, X509SignatureGenerator.CreateForECDsa(_authorityKey), notBefore, expiry, serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _authorityKey.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
