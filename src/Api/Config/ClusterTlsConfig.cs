using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jarvis.Actors.Remoting;

namespace Jarvis.Api.Config;

/// <summary>Reads JARVIS_CLUSTER_TLS_*: null (plain remoting) unless JARVIS_CLUSTER_TLS_CERT is set. Everything a
/// handshake would later trip over is checked here: the file, its password, its private key, the authorities, and that
/// this node's own certificate would be accepted by its peers.</summary>
internal static class ClusterTlsConfig
{
    public const string CertificateKey = "JARVIS_CLUSTER_TLS_CERT";
    public const string PasswordKey = "JARVIS_CLUSTER_TLS_CERT_PASSWORD";
    public const string PasswordFileKey = "JARVIS_CLUSTER_TLS_CERT_PASSWORD_FILE";
    public const string AuthorityKey = "JARVIS_CLUSTER_TLS_CA";

    public static ClusterTlsSettings? Load(ConfigReader read)
    {
        var certificatePath = read.Text(CertificateKey);
        var authorityPath = read.Text(AuthorityKey);
        var password = Password(read);
        if (certificatePath is null)
        {
            if (authorityPath is not null || password is not null)
                throw new StartupException($"{(authorityPath is not null ? AuthorityKey : PasswordKey)} is set without {CertificateKey}: " +
                    "cluster TLS needs this node's certificate (a PKCS#12 file with its private key) as well");
            return null;
        }
        if (authorityPath is null)
            throw new StartupException($"{CertificateKey} is set without {AuthorityKey}: name the CA certificate (PEM) that every member's certificate is issued by");
        var authorities = Authorities(authorityPath);
        var certificate = Certificate(certificatePath, password);
        if (PeerCertificates.Problem(certificate, authorities) is { } problem)
            throw new StartupException($"{CertificateKey}={certificatePath}: {problem} (checked against {AuthorityKey}={authorityPath}); the other members would refuse this node");
        return new ClusterTlsSettings(certificate, authorities);
    }

    private static string? Password(ConfigReader read)
    {
        var inline = read.Raw(PasswordKey);
        var file = read.Text(PasswordFileKey);
        if (inline is not null && file is not null)
            throw new StartupException($"{PasswordKey} and {PasswordFileKey} are both set: use one");
        if (file is null) return inline;
        RequireFile(PasswordFileKey, file);
        try
        {
            // A secret mounted as a file usually ends with a newline that is not part of the password.
            return File.ReadAllText(file).TrimEnd('\n').TrimEnd('\r');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{PasswordFileKey}={file} cannot be read: {e.Message}");
        }
    }

    /// <summary>A named file that is not there, or is a directory, is said so, not reported as unreadable content.</summary>
    private static void RequireFile(string key, string path)
    {
        if (Directory.Exists(path)) throw new StartupException($"{key}={path} is a directory; name the file");
        if (!File.Exists(path)) throw new StartupException($"{key}={path}: no such file");
    }

    private static X509Certificate2 Certificate(string path, string? password)
    {
        RequireFile(CertificateKey, path);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{CertificateKey}={path} cannot be read: {e.Message}");
        }
        catch (CryptographicException e)
        {
            throw new StartupException($"{CertificateKey}={path} cannot be opened as a PKCS#12 file with the password given " +
                $"({PasswordKey} or {PasswordFileKey}; neither set means an empty password): {e.Message.TrimEnd('.')}");
        }
        if (!certificate.HasPrivateKey)
            throw new StartupException($"{CertificateKey}={path} holds no private key for {certificate.Subject}: export the certificate together with its key");
        using var rsa = certificate.GetRSAPrivateKey();
        using var ecdsa = certificate.GetECDsaPrivateKey();
        if (rsa is null && ecdsa is null)
            throw new StartupException($"{CertificateKey}={path}: the private key of {certificate.Subject} is neither RSA nor ECDSA, which TLS here cannot use");
        return certificate;
    }

    private static X509Certificate2Collection Authorities(string path)
    {
        RequireFile(AuthorityKey, path);
        var authorities = new X509Certificate2Collection();
        try
        {
            var text = File.ReadAllText(path);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) authorities.ImportFromPem(text);
            else authorities.Add(X509CertificateLoader.LoadCertificate(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{AuthorityKey}={path} cannot be read: {e.Message}");
        }
        catch (CryptographicException e)
        {
            throw new StartupException($"{AuthorityKey}={path} is not a certificate (PEM or DER): {e.Message.TrimEnd('.')}");
        }
        return authorities.Count > 0 ? authorities
            : throw new StartupException($"{AuthorityKey}={path} holds no readable certificate");
    }
}
