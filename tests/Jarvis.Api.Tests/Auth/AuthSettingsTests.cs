using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>The ARP_AUTH_* settings as they act on requests: audience lists, optional issuer and audience checks,
/// the clock skew and profile aliases.</summary>
public sealed class AuthSettingsTests
{
    [Theory]
    [InlineData("ARP_AUTH_AUDIENCE")]
    [InlineData("ARP_AUTH_SERVICE_ID")]
    public async Task Any_audience_of_a_comma_separated_list_is_accepted_and_no_other(string setting)
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        var settings = AuthHttp.Required(idp).Where(s => s.Key != "ARP_AUTH_AUDIENCE").Append((setting, "svc-a, svc-b")).ToArray();
        await using var server = await ExecutorServer.StartAsync(settings);

        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Audience = "svc-a" })), "succeeded");
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Audience = "svc-b" })), "succeeded");
        await HttpAssert.ResultAsync(
            await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Audiences = ["account", "svc-b"] })), "succeeded");
        await AuthHttp.AssertUnauthorizedAsync(
            await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Audience = "svc-c" })), AuthHttp.InvalidAudience);
        await AuthHttp.AssertUnauthorizedAsync(
            await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Audience = "svc-a, svc-b" })), AuthHttp.InvalidAudience);
    }

    [Fact]
    public async Task Without_issuer_and_audience_settings_neither_is_checked_but_the_signature_still_is()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        // the prod alias of enterprise: required, no default issuer, no audience
        await using var server = await ExecutorServer.StartAsync(("ARP_AUTH_PROFILE", "prod"), ("ARP_AUTH_JWKS_URI", idp.JwksUrl));

        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(
            AuthHttp.Token(idp, key, s => s with { Issuer = "https://anyone.example", Audience = "anything" })), "succeeded");
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(null), AuthHttp.MissingHeader);
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(
            AuthHttp.Token(idp, TestSigningKey.NewRsa().WithKid(key.Kid), s => s with { Issuer = "https://anyone.example" })), AuthHttp.InvalidToken);
    }

    [Fact]
    public async Task A_zero_clock_skew_refuses_what_the_default_minute_tolerates()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var strict = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("ARP_AUTH_CLOCK_SKEW_SECONDS", "0")));
        var now = DateTime.UtcNow;
        var expiredRecently = AuthHttp.Token(idp, key, s => s with { Expires = now.AddSeconds(-20), NotBefore = now.AddMinutes(-5), IssuedAt = now.AddMinutes(-5) });
        var notYetValid = AuthHttp.Token(idp, key, s => s with { NotBefore = now.AddSeconds(20), IssuedAt = now, Expires = now.AddMinutes(5) });

        await AuthHttp.AssertUnauthorizedAsync(await strict.Client.EchoWithTokenAsync(expiredRecently), AuthHttp.TokenExpired);
        await AuthHttp.AssertUnauthorizedAsync(await strict.Client.EchoWithTokenAsync(notYetValid), AuthHttp.InvalidToken);
        await HttpAssert.ResultAsync(await strict.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
    }

    [Theory]
    [InlineData("dev-secure")]
    [InlineData("keycloak")]
    [InlineData("production")]
    public async Task Profile_aliases_that_require_auth_refuse_a_request_without_a_token(string profile)
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("ARP_AUTH_PROFILE", profile))
            .Where(s => s.Key != "ARP_AUTH_MODE").ToArray());

        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(null), AuthHttp.MissingHeader);
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
    }
}
