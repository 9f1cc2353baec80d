using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Jarvis.Actors.Remoting;

namespace Jarvis.Api.Cli;

/// <summary><c>jarvis-atomic-executor cluster-certs --out DIR --nodes A,B,C [--ca-dir DIR]</c>: a cluster CA and one
/// certificate per node for cluster TLS, for machines without openssl (the compose recipe runs it in an init
/// container). Writes <c>ca.crt</c>, <c>password</c> and <c>{node}.p12</c> to <c>--out</c>, and keeps the CA's key in
/// <c>--ca-dir</c> (default: <c>--out</c>). Run again, it keeps what is still good (the CA; a node certificate issued by
/// it and valid for 30 more days) and issues what is missing, so it is safe at every start.</summary>
public static partial class ClusterCertificatesCommand
{
    public const string Name = "cluster-certs";
    private static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan NodeLifetime = TimeSpan.FromDays(825);
    private static readonly TimeSpan RenewWithin = TimeSpan.FromDays(30);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (Parse(args) is not { } request)
        {
            error.WriteLine($"usage: jarvis-atomic-executor {Name} --out DIR --nodes NAME[,NAME...] [--ca-dir DIR]  (node names: letters, digits, '.', '-')");
            return 2;
        }
        try
        {
            Directory.CreateDirectory(request.Out);
            Directory.CreateDirectory(request.AuthorityDirectory);
            using var authority = Authority(request.AuthorityDirectory, output);
            File.WriteAllText(Path.Combine(request.Out, "ca.crt"), authority.ExportCertificatePem());
            var password = Password(Path.Combine(request.Out, "password"), output);
            foreach (var node in request.Nodes) Node(request.Out, node, authority, password, output);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error.WriteLine($"jarvis-atomic-executor {Name}: {e.Message}");
            return 1;
        }
    }

    private sealed record Request(string Out, string AuthorityDirectory, IReadOnlyList<string> Nodes);

    private static Request? Parse(string[] args)
    {
        string? outDirectory = null, authorityDirectory = null, nodes = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--out": outDirectory = args[i + 1]; break;
                case "--ca-dir": authorityDirectory = args[i + 1]; break;
                case "--nodes": nodes = args[i + 1]; break;
                default: return null;
            }
        }
        if (args.Length % 2 != 0 || outDirectory is null || nodes is null) return null;
        var names = nodes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length > 0 && names.All(NodeName().IsMatch) ? new Request(outDirectory, authorityDirectory ?? outDirectory, names) : null;
    }

    private static X509Certificate2 Authority(string directory, TextWriter output)
    {
        var certificatePath = Path.Combine(directory, "ca.crt");
        var keyPath = Path.Combine(directory, "ca.key");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            output.WriteLine($"kept the cluster CA {certificatePath}");
            return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=jarvis cluster CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow + AuthorityLifetime);
        WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, authority.ExportCertificatePem());
        output.WriteLine($"made the cluster CA {certificatePath} (its key: {keyPath}; keep it off the nodes)");
        return authority;
    }

    private static string Password(string path, TextWriter output)
    {
        if (File.Exists(path)) return File.ReadAllText(path).TrimEnd('\n').TrimEnd('\r');
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        WriteSecret(path, password + "\n");
        output.WriteLine($"made the certificates' password {path}");
        return password;
    }

    private static void Node(string directory, string node, X509Certificate2 authority, string password, TextWriter output)
    {
        var path = Path.Combine(directory, $"{node}.p12");
        if (StillGood(path, password, authority))
        {
            output.WriteLine($"kept {path}");
            return;
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // TLS server and client
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(node);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = DateTimeOffset.UtcNow + NodeLifetime;
        if (notAfter > authority.NotAfter) notAfter = authority.NotAfter;
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        WriteSecret(path, withKey.Export(X509ContentType.Pkcs12, password));
        output.WriteLine($"issued {path} (CN={node}, valid until {notAfter:yyyy-MM-dd})");
    }

    private static bool StillGood(string path, string password, X509Certificate2 authority)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var existing = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return existing.HasPrivateKey && existing.NotAfter.ToUniversalTime() > DateTime.UtcNow + RenewWithin &&
                PeerCertificates.Problem(existing, [authority]) is null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void WriteSecret(string path, string text) => WriteSecret(path, System.Text.Encoding.UTF8.GetBytes(text));

    private static void WriteSecret(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // owner only
        using var file = new FileStream(path, options);
        file.Write(bytes);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$")]
    private static partial Regex NodeName();
}
