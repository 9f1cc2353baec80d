using System.Net;
using System.Text.Json.Nodes;
using Jarvis.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jarvis.Api.Tests.Auth;

/// <summary>The test's own identity provider and tokens, checked against Microsoft.IdentityModel directly, so that a
/// failing executor test points at the executor and not at the test infrastructure.</summary>
public sealed class TestIdentityProviderTests
{
    [Fact]
    public async Task Minted_tokens_verify_against_the_published_JWKS_and_hostile_ones_do_not()
    {
        var rsa = TestSigningKey.NewRsa();
        var ec = TestSigningKey.NewEc();
        await using var idp = await TestIdentityProvider.StartAsync(rsa, ec);
        using var http = new HttpClient();
        var discovery = JsonNode.Parse(await http.GetStringAsync(idp.DiscoveryUrl))!;
        Assert.Equal(idp.Issuer, discovery["issuer"]!.GetValue<string>());
        var keys = new JsonWebKeySet(await http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>())).GetSigningKeys();
        Assert.Equal(new[] { rsa.Kid, ec.Kid }, keys.Select(k => k.KeyId));

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = idp.Issuer, ValidAudience = AuthHttp.Audience, IssuerSigningKeys = keys,
            ValidAlgorithms = ["RS256", "ES256"], ValidTypes = ["JWT", "at+jwt"], RequireExpirationTime = true,
        };
        async Task<bool> Valid(string token) => (await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters)).IsValid;

        var valid = AuthHttp.Token(idp, rsa);
        Assert.True(await Valid(valid));
        Assert.True(await Valid(AuthHttp.Token(idp, ec)));
        Assert.True(await Valid(AuthHttp.Token(idp, rsa, s => s with { Type = "at+jwt", Audiences = ["x", AuthHttp.Audience] })));

        Assert.False(await Valid(TestTokens.AlgNone(valid)));
        Assert.False(await Valid(TestTokens.Hs256WithPublicKeyAsSecret(valid, rsa.Kid, TestTokens.PublicKeyPem(rsa.Rsa!))));
        Assert.False(await Valid(TestTokens.Hs256WithPublicKeyAsSecret(valid, rsa.Kid, TestTokens.PublicKeyModulus(rsa.Rsa!))));
        Assert.False(await Valid(TestTokens.Tampered(valid)));
        Assert.False(await Valid(AuthHttp.Token(idp, TestSigningKey.NewRsa().WithKid(rsa.Kid))));
        Assert.False(await Valid(AuthHttp.Token(idp, rsa, s => s with { Expires = null })));
        Assert.False(await Valid(AuthHttp.Token(idp, rsa, s => s with { Type = "dpop+jwt" })));

        var header = new JsonWebToken(AuthHttp.Token(idp, rsa, s => s with { Kid = "other", Algorithm = "PS256", Type = "at+jwt" }));
        Assert.Equal(("other", "PS256", "at+jwt"), (header.Kid, header.Alg, header.Typ));
        var noExp = new JsonWebToken(AuthHttp.Token(idp, rsa, s => s with { Expires = null, NotBefore = null }));
        Assert.False(noExp.TryGetPayloadValue<long>("exp", out _));
        Assert.False(noExp.TryGetPayloadValue<long>("nbf", out _));
    }

    [Fact]
    public async Task The_provider_rotates_fails_stops_and_comes_back_on_the_same_port_counting_requests()
    {
        var first = TestSigningKey.NewRsa();
        var second = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(first);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        async Task<string> Kids() => string.Join(",", new JsonWebKeySet(await http.GetStringAsync(idp.JwksUrl)).Keys.Select(k => k.Kid));

        Assert.Equal(first.Kid, await Kids());
        idp.Publish(second);
        Assert.Equal(second.Kid, await Kids());

        idp.Failing = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(idp.JwksUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(idp.DiscoveryUrl)).StatusCode);
        idp.Failing = false;

        await idp.StopAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(idp.JwksUrl));
        await idp.RestartAsync();
        Assert.Equal(second.Kid, await Kids());

        Assert.Equal(4, idp.JwksRequests); // three key listings and one 503 (the refused connection never arrived)
        Assert.Equal(1, idp.DiscoveryRequests);
        Assert.Equal("127.0.0.1", idp.BaseAddress.Host);
    }
}
