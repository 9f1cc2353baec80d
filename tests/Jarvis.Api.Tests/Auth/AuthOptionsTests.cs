using Jarvis.Api.Auth;
using Jarvis.Api.Config;
using Microsoft.Extensions.Configuration;

namespace Jarvis.Api.Tests.Auth;

/// <summary>The ARP_AUTH_* settings resolve as the reference's do (DESIGN §6), and bad ones stop start-up naming the setting.</summary>
public sealed class AuthOptionsTests
{
    private static AuthOptions Load(params (string Key, string Value)[] settings) =>
        AuthOptions.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.DistinctBy(s => s.Key).Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build()).EnsureUsable();

    [Fact]
    public void No_auth_setting_at_all_requires_jwts_from_the_dev_keycloak_issuer()
    {
        var error = Assert.Throws<StartupException>(() => Load());
        // fail closed: the dev Keycloak profile is chosen, and it insists on an audience
        Assert.Contains("ARP_AUTH_AUDIENCE", error.Message);

        var options = Load(("ARP_AUTH_AUDIENCE", "arp-atomic-executor"));
        Assert.Equal(AuthMode.Required, options.Mode);
        Assert.Equal(AuthOptions.DevKeycloakIssuer, options.Issuer);
        Assert.Equal(new Uri(AuthOptions.DevKeycloakIssuer + "/.well-known/openid-configuration"), options.DiscoveryUrl);
        Assert.Equal(["arp-atomic-executor"], options.Audiences);
    }

    [Theory]
    [InlineData("dev-insecure", AuthMode.Disabled)]
    [InlineData("dev", AuthMode.Disabled)]
    [InlineData("DEV-INSECURE", AuthMode.Disabled)]
    [InlineData("enterprise", AuthMode.Required)]
    [InlineData("prod", AuthMode.Required)]
    [InlineData("production", AuthMode.Required)]
    public void Profiles_and_their_aliases_set_the_mode(string profile, AuthMode mode) =>
        Assert.Equal(mode, Load(("ARP_AUTH_PROFILE", profile), ("ARP_AUTH_ISSUER", "https://issuer.example/realms/x")).Mode);

    [Theory]
    [InlineData("dev-secure-keycloak")]
    [InlineData("dev-secure")]
    [InlineData("keycloak")]
    public void The_keycloak_profile_and_its_aliases_default_the_issuer_and_need_an_audience(string profile)
    {
        Assert.Contains("ARP_AUTH_AUDIENCE", Assert.Throws<StartupException>(() => Load(("ARP_AUTH_PROFILE", profile))).Message);
        var options = Load(("ARP_AUTH_PROFILE", profile), ("ARP_AUTH_SERVICE_ID", "svc"));
        Assert.Equal(AuthMode.Required, options.Mode);
        Assert.Equal(AuthOptions.DevKeycloakIssuer, options.Issuer);
        Assert.Equal(["svc"], options.Audiences);
    }

    [Fact]
    public void The_mode_overrides_the_profile()
    {
        Assert.Equal(AuthMode.Optional, Load(("ARP_AUTH_PROFILE", "prod"), ("ARP_AUTH_MODE", "optional"), ("ARP_AUTH_JWKS_URI", "http://127.0.0.1:1/jwks")).Mode);
        Assert.Equal(AuthMode.Disabled, Load(("ARP_AUTH_PROFILE", "prod"), ("ARP_AUTH_MODE", "disabled")).Mode);
        Assert.Equal(AuthMode.Required, Load(("ARP_AUTH_PROFILE", "dev"), ("ARP_AUTH_MODE", "required"), ("ARP_AUTH_ISSUER", "http://127.0.0.1:1/r")).Mode);
    }

    [Fact]
    public void Explicit_settings_are_taken_as_given()
    {
        var options = Load(("ARP_AUTH_PROFILE", "enterprise"), ("ARP_AUTH_ISSUER", "https://id.example/"),
            ("ARP_AUTH_AUDIENCE", "a, b"), ("ARP_AUTH_JWKS_URI", "https://id.example/keys"),
            ("ARP_AUTH_OIDC_DISCOVERY_URL", "https://id.example/discovery"), ("ARP_AUTH_ALGORITHMS", "RS256,ES256"),
            ("ARP_AUTH_CLOCK_SKEW_SECONDS", "5"), ("ARP_AUTH_EXEMPT_PATHS", "/v1/health"));

        Assert.Equal("https://id.example/", options.Issuer);
        Assert.Equal(["a", "b"], options.Audiences);
        Assert.Equal(new Uri("https://id.example/keys"), options.JwksUri);
        Assert.Equal(new Uri("https://id.example/discovery"), options.DiscoveryUrl);
        Assert.Equal(["RS256", "ES256"], options.Algorithms);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ClockSkew);
        Assert.Equal(["/v1/health"], options.ExemptPaths);
    }

    [Fact]
    public void Defaults_are_RS256_a_minute_of_skew_and_health_and_version_exempt()
    {
        var options = Load(("ARP_AUTH_PROFILE", "enterprise"), ("ARP_AUTH_ISSUER", "https://id.example"));
        Assert.Equal(["RS256"], options.Algorithms);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ClockSkew);
        Assert.Equal(new HashSet<string> { "/v1/health", "/v1/version" }, options.ExemptPaths);
        Assert.Equal(new Uri("https://id.example/.well-known/openid-configuration"), options.DiscoveryUrl);
    }

    [Theory]
    [InlineData("ARP_AUTH_PROFILE", "bogus", "ARP_AUTH_PROFILE")]
    [InlineData("ARP_AUTH_MODE", "sometimes", "ARP_AUTH_MODE")]
    [InlineData("ARP_AUTH_CLOCK_SKEW_SECONDS", "1.5", "ARP_AUTH_CLOCK_SKEW_SECONDS")]
    [InlineData("ARP_AUTH_CLOCK_SKEW_SECONDS", "soon", "ARP_AUTH_CLOCK_SKEW_SECONDS")]
    [InlineData("ARP_AUTH_ALGORITHMS", " , ", "ARP_AUTH_ALGORITHMS")]
    [InlineData("ARP_AUTH_ALGORITHMS", "none", "none")]
    [InlineData("ARP_AUTH_ALGORITHMS", "RS256,HS256", "HS256")]
    [InlineData("ARP_AUTH_JWKS_URI", "not a url", "ARP_AUTH_JWKS_URI")]
    [InlineData("ARP_AUTH_JWKS_URI", "ftp://id.example/keys", "ARP_AUTH_JWKS_URI")]
    [InlineData("ARP_AUTH_EXEMPT_PATHS", "v1/health", "ARP_AUTH_EXEMPT_PATHS")]
    [InlineData("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", "0", "JARVIS_AUTH_KEY_REFRESH_MIN_SECS")]
    [InlineData("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", "-1", "JARVIS_AUTH_KEY_REFRESH_MIN_SECS")]
    [InlineData("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", "soon", "JARVIS_AUTH_KEY_REFRESH_MIN_SECS")]
    [InlineData("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", "86401", "JARVIS_AUTH_KEY_REFRESH_MIN_SECS")]
    public void A_bad_value_stops_startup_naming_it(string key, string value, string named)
    {
        var error = Assert.Throws<StartupException>(() =>
            Load((key, value), ("ARP_AUTH_PROFILE", "enterprise"), ("ARP_AUTH_ISSUER", "https://id.example")));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData("0.25", 0.25)]
    [InlineData("30", 30.0)]
    public void The_key_refresh_floor_is_1_s_unless_set(string? value, double seconds)
    {
        (string, string)[] settings = [("ARP_AUTH_PROFILE", "enterprise"), ("ARP_AUTH_ISSUER", "https://id.example")];
        if (value is not null) settings = [.. settings, ("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", value)];
        Assert.Equal(TimeSpan.FromSeconds(seconds), Load(settings).KeyRefreshMinInterval);
    }

    [Fact]
    public void Required_auth_without_any_way_to_find_keys_stops_startup() =>
        Assert.Contains("ARP_AUTH_ISSUER", Assert.Throws<StartupException>(() => Load(("ARP_AUTH_PROFILE", "enterprise"))).Message);
}
