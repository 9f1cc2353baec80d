using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Auth;

/// <summary>Required auth: which tokens pass, and the exact 401 (message, code, WWW-Authenticate) for each that does not.</summary>
public sealed class TokenValidationTests(RequiredAuthFixture auth) : IClassFixture<RequiredAuthFixture>
{
    [Fact]
    public async Task A_valid_RS256_token_executes_the_echo()
    {
        var response = await auth.Client.EchoWithTokenAsync(auth.Token(), "authenticated");
        var result = await HttpAssert.ResultAsync(response, "succeeded");
        Assert.Equal("authenticated", result["outputs"]!["echo"]!.GetValue<string>());
    }

    public static TheoryData<string> AcceptedTokens => new()
    {
        "typ at+jwt",
        "aud array holding the audience among others",
        "expired 20 s ago, within the default 60 s skew",
        "nbf 20 s ahead, within the default 60 s skew",
        "no nbf at all",
    };

    [Theory]
    [MemberData(nameof(AcceptedTokens))]
    public async Task Valid_token_variants_are_accepted(string variant)
    {
        var now = DateTime.UtcNow;
        var token = variant switch
        {
            "typ at+jwt" => auth.Token(s => s with { Type = "at+jwt" }),
            "aud array holding the audience among others" => auth.Token(s => s with { Audiences = ["account", AuthHttp.Audience] }),
            "expired 20 s ago, within the default 60 s skew" =>
                auth.Token(s => s with { Expires = now.AddSeconds(-20), NotBefore = now.AddMinutes(-10), IssuedAt = now.AddMinutes(-10) }),
            "nbf 20 s ahead, within the default 60 s skew" =>
                auth.Token(s => s with { NotBefore = now.AddSeconds(20), IssuedAt = now, Expires = now.AddMinutes(10) }),
            "no nbf at all" => auth.Token(s => s with { NotBefore = null }),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
        await HttpAssert.ResultAsync(await auth.Client.EchoWithTokenAsync(token), "succeeded");
    }

    public static TheoryData<string, string> RefusedAuthorizations => new()
    {
        // case, exact message
        { "no Authorization header", AuthHttp.MissingHeader },
        { "Basic scheme", AuthHttp.InvalidHeader },
        { "Bearer without a token", AuthHttp.InvalidHeader },
        { "Bearer with two tokens", AuthHttp.InvalidHeader },
        { "expired 10 min ago", AuthHttp.TokenExpired },
        { "another audience", AuthHttp.InvalidAudience },
        { "no audience", AuthHttp.InvalidAudience },
        { "another issuer", AuthHttp.InvalidIssuer },
        { "no issuer", AuthHttp.InvalidIssuer },
        { "signed by an unpublished key under a published kid", AuthHttp.InvalidToken },
        { "signed by an unpublished key under its own kid", AuthHttp.InvalidToken },
        { "alg none", AuthHttp.InvalidToken },
        { "HS256 keyed with the public key PEM", AuthHttp.InvalidToken },
        { "HS256 keyed with the public key modulus", AuthHttp.InvalidToken },
        { "typ dpop+jwt", AuthHttp.InvalidToken },
        { "typ JWE", AuthHttp.InvalidToken },
        { "RS512 by the published key (not in ARP_AUTH_ALGORITHMS)", AuthHttp.InvalidToken },
        { "PS256 by the published key (not in ARP_AUTH_ALGORITHMS)", AuthHttp.InvalidToken },
        { "ES256 by the published EC key (not in ARP_AUTH_ALGORITHMS)", AuthHttp.InvalidToken },
        { "tampered payload", AuthHttp.InvalidToken },
        { "not a JWT", AuthHttp.InvalidToken },
        { "three garbage segments", AuthHttp.InvalidToken },
        { "nbf 10 min ahead", AuthHttp.InvalidToken },
        { "no exp", AuthHttp.InvalidToken },
    };

    [Theory]
    [MemberData(nameof(RefusedAuthorizations))]
    public async Task Refused_authorization_is_401_with_the_exact_message_and_challenge(string variant, string message)
    {
        var response = await auth.Client.ExecuteWithAsync(Authorization(variant), ExecuteRequests.Echo("must not run"));
        await AuthHttp.AssertUnauthorizedAsync(response, message);
    }

    [Fact]
    public async Task A_refused_token_does_not_spoil_the_next_valid_one()
    {
        await AuthHttp.AssertUnauthorizedAsync(await auth.Client.ExecuteWithAsync(Authorization("alg none"), ExecuteRequests.Echo("x")),
            AuthHttp.InvalidToken);
        await HttpAssert.ResultAsync(await auth.Client.EchoWithTokenAsync(auth.Token()), "succeeded");
    }

    private string? Authorization(string variant)
    {
        var now = DateTime.UtcNow;
        var valid = auth.Token();
        var stranger = TestSigningKey.NewRsa();
        return variant switch
        {
            "no Authorization header" => null,
            "Basic scheme" => "Basic dXNlcjpwYXNz",
            "Bearer without a token" => "Bearer",
            "Bearer with two tokens" => $"Bearer {valid} {valid}",
            "expired 10 min ago" => AuthHttp.Bearer(auth.Token(s => s with
                { Expires = now.AddMinutes(-10), NotBefore = now.AddMinutes(-20), IssuedAt = now.AddMinutes(-20) })),
            "another audience" => AuthHttp.Bearer(auth.Token(s => s with { Audience = "some-other-service" })),
            "no audience" => AuthHttp.Bearer(auth.Token(s => s with { Audience = null })),
            "another issuer" => AuthHttp.Bearer(auth.Token(s => s with { Issuer = "http://127.0.0.1:1/realms/evil" })),
            "no issuer" => AuthHttp.Bearer(auth.Token(s => s with { Issuer = null })),
            "signed by an unpublished key under a published kid" => AuthHttp.Bearer(AuthHttp.Token(auth.Idp, stranger.WithKid(auth.Key.Kid))),
            "signed by an unpublished key under its own kid" => AuthHttp.Bearer(AuthHttp.Token(auth.Idp, stranger)),
            "alg none" => AuthHttp.Bearer(TestTokens.AlgNone(valid)),
            "HS256 keyed with the public key PEM" =>
                AuthHttp.Bearer(TestTokens.Hs256WithPublicKeyAsSecret(valid, auth.Key.Kid, TestTokens.PublicKeyPem(auth.Key.Rsa!))),
            "HS256 keyed with the public key modulus" =>
                AuthHttp.Bearer(TestTokens.Hs256WithPublicKeyAsSecret(valid, auth.Key.Kid, TestTokens.PublicKeyModulus(auth.Key.Rsa!))),
            "typ dpop+jwt" => AuthHttp.Bearer(auth.Token(s => s with { Type = "dpop+jwt" })),
            "typ JWE" => AuthHttp.Bearer(auth.Token(s => s with { Type = "JWE" })),
            "RS512 by the published key (not in ARP_AUTH_ALGORITHMS)" => AuthHttp.Bearer(auth.Token(s => s with { Algorithm = "RS512" })),
            "PS256 by the published key (not in ARP_AUTH_ALGORITHMS)" => AuthHttp.Bearer(auth.Token(s => s with { Algorithm = "PS256" })),
            "ES256 by the published EC key (not in ARP_AUTH_ALGORITHMS)" => AuthHttp.Bearer(AuthHttp.Token(auth.Idp, auth.EcKey)),
            "tampered payload" => AuthHttp.Bearer(TestTokens.Tampered(valid)),
            "not a JWT" => "Bearer not-a-jwt",
            "three garbage segments" => "Bearer abc.def.ghi",
            "nbf 10 min ahead" => AuthHttp.Bearer(auth.Token(s => s with { NotBefore = now.AddMinutes(10), IssuedAt = now, Expires = now.AddMinutes(20) })),
            "no exp" => AuthHttp.Bearer(auth.Token(s => s with { Expires = null })),
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };
    }

    [Fact]
    public async Task A_refused_execute_never_reaches_the_runner()
    {
        // A refused execute with a fixed id, then the same id with a valid token and other inputs: it runs fresh
        // (had the refused one run, its result would be replayed or the id refused as a conflict).
        var id = ExecuteRequests.NewId("refused");
        var refused = await auth.Client.ExecuteWithAsync(AuthHttp.Bearer(TestTokens.AlgNone(auth.Token())), ExecuteRequests.Echo("forged", id));
        await AuthHttp.AssertUnauthorizedAsync(refused, AuthHttp.InvalidToken);

        var result = await HttpAssert.ResultAsync(await auth.Client.ExecuteWithAsync(AuthHttp.Bearer(auth.Token()), ExecuteRequests.Echo("genuine", id)), "succeeded");
        Assert.Equal("genuine", result["outputs"]!["echo"]!.GetValue<string>());
    }
}
