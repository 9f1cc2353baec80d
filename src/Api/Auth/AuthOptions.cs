using Jarvis.Api.Config;

namespace Jarvis.Api.Auth;

public enum AuthMode { Required, Optional, Disabled }

/// <summary>The ARP_AUTH_* settings of the reference (DESIGN §6), resolved and validated once at start:
/// profile defaults first, then explicit overrides. Without ARP_AUTH_PROFILE the dev-secure-keycloak profile
/// applies: JWTs are required, from the dev Keycloak issuer unless ARP_AUTH_ISSUER says otherwise (fail closed).</summary>
public sealed record AuthOptions
{
    public const string DevKeycloakIssuer = "http://localhost:8080/realms/arp-dev";
    private const string DiscoveryPath = "/.well-known/openid-configuration";

    /// <summary>Asymmetric algorithms only: "none" and HMAC (which a public key would turn into a forgery) never pass.</summary>
    public static readonly IReadOnlySet<string> SupportedAlgorithms = new HashSet<string>(StringComparer.Ordinal)
        { "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512" };

    public required AuthMode Mode { get; init; }
    public required string Profile { get; init; }
    public string? Issuer { get; init; }
    public IReadOnlyList<string> Audiences { get; init; } = [];
    public Uri? JwksUri { get; init; }
    public Uri? DiscoveryUrl { get; init; }
    public IReadOnlyList<string> Algorithms { get; init; } = ["RS256"];
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Least time between the starts of two key fetches (also after a failed one): a token with a newly
    /// published <c>kid</c> waits for at most this (capped at <see cref="SigningKeySource.MaxWaitForFetch"/>), and a
    /// flood of made-up kids or a down issuer costs the issuer at most one fetch per interval.</summary>
    public TimeSpan KeyRefreshMinInterval { get; init; } = TimeSpan.FromSeconds(1);
    public IReadOnlySet<string> ExemptPaths { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "/v1/health", "/v1/version" };

    private static readonly Dictionary<string, string> ProfileAliases = new(StringComparer.Ordinal)
    {
        ["dev-insecure"] = "dev-insecure", ["dev"] = "dev-insecure",
        ["dev-secure-keycloak"] = "dev-secure-keycloak", ["dev-secure"] = "dev-secure-keycloak", ["keycloak"] = "dev-secure-keycloak",
        ["enterprise"] = "enterprise", ["prod"] = "enterprise", ["production"] = "enterprise",
    };

    private static readonly Dictionary<string, AuthMode> Modes = new(StringComparer.Ordinal)
    {
        ["required"] = AuthMode.Required, ["optional"] = AuthMode.Optional, ["disabled"] = AuthMode.Disabled,
    };

    public static AuthOptions Load(IConfiguration configuration)
    {
        var read = new ConfigReader(configuration);
        // Fail closed: without a profile, the dev Keycloak one applies (JWTs required, its issuer by default).
        var profile = ParseProfile(read.Text("ARP_AUTH_PROFILE")) ?? "dev-secure-keycloak";
        var mode = read.OneOf("ARP_AUTH_MODE", Modes) ?? (profile == "dev-insecure" ? AuthMode.Disabled : AuthMode.Required);
        var issuer = read.Text("ARP_AUTH_ISSUER") ?? (profile == "dev-secure-keycloak" ? DevKeycloakIssuer : null);
        var audiences = List(read.Text("ARP_AUTH_AUDIENCE") ?? read.Text("ARP_AUTH_SERVICE_ID"));
        var options = new AuthOptions
        {
            Mode = mode,
            Profile = profile,
            Issuer = issuer,
            Audiences = audiences,
            JwksUri = Url(read, "ARP_AUTH_JWKS_URI"),
            DiscoveryUrl = Url(read, "ARP_AUTH_OIDC_DISCOVERY_URL") ??
                           (issuer is null ? null : AbsoluteUrl("ARP_AUTH_ISSUER", issuer.TrimEnd('/') + DiscoveryPath)),
            Algorithms = ParseAlgorithms(configuration["ARP_AUTH_ALGORITHMS"]),
            ClockSkew = TimeSpan.FromSeconds(read.Int("ARP_AUTH_CLOCK_SKEW_SECONDS", 0, 3_600) ?? 60),
            ExemptPaths = ParseExemptPaths(configuration["ARP_AUTH_EXEMPT_PATHS"]),
            KeyRefreshMinInterval = read.Seconds("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", 0.1, 86_400) ?? TimeSpan.FromSeconds(1),
        };
        return options;
    }

    /// <summary>The settings that validating a JWT needs: an audience for the Keycloak profile, and somewhere
    /// to find the signing keys. Checked where JWTs are validated; disabled auth needs neither.</summary>
    public AuthOptions EnsureUsable()
    {
        if (Mode == AuthMode.Disabled) return this;
        if (Profile == "dev-secure-keycloak" && Audiences.Count == 0)
            throw new StartupException("JWT authentication with profile dev-secure-keycloak (the default) needs ARP_AUTH_AUDIENCE " +
                                       "(or ARP_AUTH_SERVICE_ID), e.g. arp-atomic-executor; for local development without auth set ARP_AUTH_PROFILE=dev-insecure");
        if (JwksUri is null && DiscoveryUrl is null)
            throw new StartupException("JWT authentication needs ARP_AUTH_ISSUER, ARP_AUTH_OIDC_DISCOVERY_URL or ARP_AUTH_JWKS_URI to find its signing keys");
        if (KeySource is { Scheme: "http" } insecure && !IsLocal(insecure))
            throw new StartupException($"signing keys would be fetched over plain http from {insecure.Host}: use https (http is allowed only for loopback and the dev Keycloak issuer)");
        return this;
    }

    /// <summary>Exempt paths match exactly, as in the reference; the one addition is the docs page's own files, which
    /// an exempt <c>/docs</c> covers (the reference loads its page's files from a CDN).</summary>
    public bool IsExempt(string path) =>
        ExemptPaths.Contains(path) || (Endpoints.ApiDocsApi.IsDocsAsset(path) && ExemptPaths.Contains(Endpoints.ApiDocsApi.DocsPath));

    /// <summary>Where signing keys come from: the JWKS URI if given, else OIDC discovery.</summary>
    public Uri? KeySource => JwksUri ?? DiscoveryUrl;

    /// <summary>http is fine for loopback and for the dev Keycloak of the reference's stack.</summary>
    public static bool IsLocal(Uri uri) => uri.IsLoopback || uri.Host == "localhost";

    private static string? ParseProfile(string? text)
    {
        if (text is null) return null;
        return ProfileAliases.TryGetValue(text.ToLowerInvariant(), out var profile) ? profile
            : throw new StartupException($"ARP_AUTH_PROFILE={text} is not valid: expected one of {string.Join(", ", ProfileAliases.Keys)}");
    }

    private static IReadOnlyList<string> List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static IReadOnlyList<string> ParseAlgorithms(string? text)
    {
        if (text is null) return ["RS256"]; // unset; set but blank is an error below
        var algorithms = List(text);
        if (algorithms.Count == 0) throw new StartupException("ARP_AUTH_ALGORITHMS is empty: name at least one algorithm, e.g. RS256");
        foreach (var algorithm in algorithms)
            if (!SupportedAlgorithms.Contains(algorithm))
                throw new StartupException(
                    $"ARP_AUTH_ALGORITHMS names '{algorithm}', which is not accepted: expected some of {string.Join(", ", SupportedAlgorithms)}");
        return algorithms;
    }

    private static IReadOnlySet<string> ParseExemptPaths(string? text)
    {
        // Set but empty means "no exempt path"; unset means the defaults.
        if (text is null) return new HashSet<string>(StringComparer.Ordinal) { "/v1/health", "/v1/version" };
        var paths = List(text);
        foreach (var path in paths)
            if (!path.StartsWith('/'))
                throw new StartupException($"ARP_AUTH_EXEMPT_PATHS names '{path}', which is not an absolute path (it must start with '/')");
        return new HashSet<string>(paths, StringComparer.Ordinal);
    }

    private static Uri? Url(ConfigReader read, string key) => read.Text(key) is { } text ? AbsoluteUrl(key, text) : null;

    private static Uri AbsoluteUrl(string key, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new StartupException($"{key}={text} is not valid: expected an absolute http(s) URL");
}
