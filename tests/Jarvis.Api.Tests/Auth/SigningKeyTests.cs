using System.Net;
using Jarvis.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Jarvis.Api.Tests.Auth;

/// <summary>Where keys come from and how they change: ES256, discovery vs JWKS URL, rotation without restart, a bounded
/// number of JWKS fetches under a flood of unknown kids, and an identity provider that is down and comes back.</summary>
public sealed class SigningKeyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_ES256_configured_an_ES256_token_passes_and_an_RS256_one_is_refused()
    {
        var ec = TestSigningKey.NewEc();
        var rsa = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(ec, rsa);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("ARP_AUTH_ALGORITHMS", "ES256")));

        var result = await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, ec), "ec"), "succeeded");
        Assert.Equal("ec", result["outputs"]!["echo"]!.GetValue<string>());

        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, rsa)), AuthHttp.InvalidToken);
    }

    [Fact]
    public async Task With_two_algorithms_configured_both_kinds_of_token_pass()
    {
        var ec = TestSigningKey.NewEc();
        var rsa = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(rsa, ec);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("ARP_AUTH_ALGORITHMS", "RS256,ES256")));

        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, ec)), "succeeded");
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, rsa)), "succeeded");
        // still only those two
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, rsa, s => s with { Algorithm = "PS256" })),
            AuthHttp.InvalidToken);
    }

    [Fact]
    public async Task Keys_found_through_OIDC_discovery_validate_tokens()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, viaDiscovery: true));

        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        Assert.True(idp.DiscoveryRequests >= 1, "the discovery document was never fetched");
        Assert.True(idp.JwksRequests >= 1, "the JWKS named by discovery was never fetched");
    }

    [Fact]
    public async Task Discovery_defaults_to_the_issuer_well_known_url()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        // only the issuer: discovery at issuer + /.well-known/openid-configuration
        await using var server = await ExecutorServer.StartAsync(
            ("ARP_AUTH_PROFILE", "enterprise"), ("ARP_AUTH_ISSUER", idp.Issuer), ("ARP_AUTH_AUDIENCE", AuthHttp.Audience));

        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        Assert.True(idp.DiscoveryRequests >= 1, "the default discovery URL was never fetched");
    }

    [Fact]
    public async Task Keys_from_ARP_AUTH_JWKS_URI_validate_tokens_without_discovery()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));

        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        Assert.True(idp.JwksRequests >= 1, "the JWKS URL was never fetched");
        Assert.Equal(0, idp.DiscoveryRequests);
    }

    [Fact]
    public async Task A_rotated_in_key_is_accepted_without_restart()
    {
        var oldKey = TestSigningKey.NewRsa();
        var newKey = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(oldKey);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), "succeeded");
        var fetchesBefore = idp.JwksRequests;

        idp.Publish(newKey); // the old key retired, the new one published, after the executor cached the old set

        var attempts = await server.Client.EchoEventuallySucceedsAsync(AuthHttp.Token(idp, newKey), "a token with the rotated-in kid is accepted");
        output.WriteLine($"accepted after {attempts} attempt(s); JWKS fetched {idp.JwksRequests - fetchesBefore} more time(s)");
        Assert.True(idp.JwksRequests > fetchesBefore, "accepted without fetching the JWKS again?");
    }

    [Fact]
    public async Task A_retired_key_is_refused_once_the_new_key_set_has_been_fetched()
    {
        var oldKey = TestSigningKey.NewRsa();
        var newKey = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(oldKey);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), "succeeded");
        idp.Publish(newKey); // e.g. the old key was compromised and withdrawn
        await server.Client.EchoEventuallySucceedsAsync(AuthHttp.Token(idp, newKey), "the new key is picked up");
        var fetches = idp.JwksRequests;

        // the executor has fetched the set without the old key: a token signed by it must not pass (polled, as a
        // refresh may be asynchronous, each attempt a fresh token)
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var status = await Eventually.UntilAsync(async () =>
        {
            using var response = await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey));
            return response.StatusCode;
        }, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5), "a token signed by the withdrawn key is refused");
        output.WriteLine($"withdrawn key refused after {clock.ElapsedMilliseconds} ms, {idp.JwksRequests - fetches} more JWKS fetch(es)");
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), AuthHttp.InvalidToken);
        // and the executor still refuses what it should
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, newKey, s => s with { Audience = "x" })),
            AuthHttp.InvalidAudience);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_fetches_the_JWKS_only_a_bounded_number_of_times()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        // the default minimum interval (30 s) is far longer than the flood takes, so the bound does not depend on speed
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", "30")));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        var fetchesBefore = idp.JwksRequests;

        // signed by a key the provider never published (a token with an unknown kid but a published key's signature
        // is legitimately accepted: the key is tried anyway), each under a kid nobody knows
        var stranger = TestSigningKey.NewRsa();
        var floods = Enumerable.Range(0, 50).Select(async _ =>
        {
            var token = AuthHttp.Token(idp, stranger, s => s with { Kid = $"unknown-{Guid.NewGuid():N}" });
            using var response = await server.Client.EchoWithTokenAsync(token);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var answers = await Task.WhenAll(floods);

        var fetches = idp.JwksRequests - fetchesBefore;
        output.WriteLine($"50 unknown kids caused {fetches} JWKS fetch(es)");
        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.Unauthorized && a.Body.Contains($"\"{AuthHttp.InvalidToken}\""),
            $"an unknown kid was answered {(int)a.StatusCode}: {a.Body}"));
        Assert.True(fetches <= 3, $"50 tokens with unknown kids caused {fetches} JWKS fetches");
        // the known key still works afterwards
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
    }

    [Fact]
    public async Task Unknown_kids_with_a_one_second_minimum_still_cannot_make_a_fetch_per_request()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        var fetchesBefore = idp.JwksRequests;

        var stranger = TestSigningKey.NewRsa();
        var tokens = Enumerable.Range(0, 50).Select(_ => AuthHttp.Token(idp, stranger, s => s with { Kid = $"unknown-{Guid.NewGuid():N}" })).ToList();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(tokens.Select(async token =>
        {
            using var response = await server.Client.EchoWithTokenAsync(token);
            return response.StatusCode;
        }));
        var elapsed = clock.Elapsed;

        var fetches = idp.JwksRequests - fetchesBefore;
        // at most one refresh per started second of the flood, plus slack for the one in flight at either end
        var bound = (int)Math.Ceiling(elapsed.TotalSeconds) + 2;
        output.WriteLine($"50 unknown kids in {elapsed.TotalMilliseconds:0} ms caused {fetches} JWKS fetch(es) (bound {bound})");
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.True(fetches <= bound, $"50 tokens with unknown kids in {elapsed.TotalSeconds:0.0} s caused {fetches} JWKS fetches");
    }

    public enum Outage { ServiceUnavailable, Stopped }

    [Theory]
    [InlineData(Outage.ServiceUnavailable, false)]
    [InlineData(Outage.Stopped, false)]
    [InlineData(Outage.ServiceUnavailable, true)]
    [InlineData(Outage.Stopped, true)]
    public async Task Provider_down_from_the_start_is_401_unable_to_fetch_JWKS_then_recovers_when_it_is_back(Outage outage, bool viaDiscovery)
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await TakeDownAsync(idp, outage);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, viaDiscovery));
        var token = AuthHttp.Token(idp, key);

        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(token), AuthHttp.UnableToFetchJwks);
        // exempt paths do not depend on the provider
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v1/health")).StatusCode);

        await BringBackAsync(idp, outage);
        var attempts = await server.Client.EchoEventuallySucceedsAsync(token, "a valid token is accepted once the provider is back");
        output.WriteLine($"accepted {attempts} attempt(s) after the provider came back");
    }

    [Fact]
    public async Task A_down_provider_is_not_hammered_by_a_flood_of_requests()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        idp.Failing = true;
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", "30")));
        var token = AuthHttp.Token(idp, key);
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(token), AuthHttp.UnableToFetchJwks);
        var fetchesBefore = idp.JwksRequests;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await server.Client.EchoWithTokenAsync(token);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var fetches = idp.JwksRequests - fetchesBefore;
        output.WriteLine($"the first request while the provider answers 503 caused {fetchesBefore} JWKS fetch(es), 50 more caused {fetches}");
        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.Unauthorized && a.Body.Contains($"\"{AuthHttp.UnableToFetchJwks}\""),
            $"answered {(int)a.StatusCode}: {a.Body}"));
        Assert.True(fetches <= 3, $"50 requests while the provider is down caused {fetches} JWKS fetches");
    }

    [Theory]
    [InlineData(Outage.ServiceUnavailable)]
    [InlineData(Outage.Stopped)]
    public async Task Keys_already_fetched_keep_working_while_the_provider_is_down(Outage outage)
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");

        await TakeDownAsync(idp, outage);

        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key, s => s with { Issuer = "http://127.0.0.1:1/x" })),
            AuthHttp.InvalidIssuer);
    }

    private static async Task TakeDownAsync(TestIdentityProvider idp, Outage outage)
    {
        if (outage == Outage.ServiceUnavailable) idp.Failing = true;
        else await idp.StopAsync();
    }

    private static async Task BringBackAsync(TestIdentityProvider idp, Outage outage)
    {
        if (outage == Outage.ServiceUnavailable) idp.Failing = false;
        else await idp.RestartAsync();
    }
}
