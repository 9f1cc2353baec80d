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
    public async Task A_token_signed_by_a_key_published_after_start_is_accepted_on_its_first_call()
    {
        var oldKey = TestSigningKey.NewRsa();
        var newKey = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(oldKey);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp)); // the default floor
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), "succeeded");
        var fetchesBefore = idp.JwksRequests;

        idp.Publish(oldKey, newKey); // the issuer rotates: a second key, signing from now on

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, newKey)), "succeeded");
        output.WriteLine($"the first token with the new kid was accepted in {clock.ElapsedMilliseconds} ms, " +
                         $"after {idp.JwksRequests - fetchesBefore} more JWKS fetch(es)");
        Assert.Equal(1, idp.JwksRequests - fetchesBefore);
        // both keys are good now, without another fetch
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), "succeeded");
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, newKey)), "succeeded");
        Assert.Equal(1, idp.JwksRequests - fetchesBefore);
    }

    [Fact]
    public async Task Concurrent_first_calls_with_a_newly_published_kid_all_pass_and_share_the_fetches()
    {
        var oldKey = TestSigningKey.NewRsa();
        var newKey = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(oldKey);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), "succeeded");
        var fetchesBefore = idp.JwksRequests;
        idp.Publish(newKey); // the old key retired at the same time
        var tokens = Enumerable.Range(0, 50).Select(_ => AuthHttp.Token(idp, newKey)).ToList();

        var answers = await Task.WhenAll(tokens.Select(async token =>
        {
            using var response = await server.Client.EchoWithTokenAsync(token);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var fetches = idp.JwksRequests - fetchesBefore;
        output.WriteLine($"50 concurrent first calls with the new kid caused {fetches} JWKS fetch(es)");
        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.OK, $"answered {(int)a.StatusCode}: {a.Body}"));
        // the first call's fetch, and one more for the calls that arrived once it had started
        Assert.InRange(fetches, 1, 2);
    }

    [Fact]
    public async Task A_withdrawn_key_is_refused_on_the_first_call_after_the_new_key_set_has_been_fetched()
    {
        var oldKey = TestSigningKey.NewRsa();
        var newKey = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(oldKey);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), "succeeded");
        idp.Publish(newKey); // e.g. the old key was compromised and withdrawn
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, newKey)), "succeeded");

        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, oldKey)), AuthHttp.InvalidToken);
        // and the executor still refuses what it should
        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, newKey, s => s with { Audience = "x" })),
            AuthHttp.InvalidAudience);
    }

    [Fact]
    public async Task A_thousand_concurrent_tokens_with_unknown_kids_cause_at_most_two_fetches_and_all_get_401()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, // the default floor
            extra: ("ARP_AUTH_EXEMPT_PATHS", "/v1/health,/metrics")));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        // signed by a key the provider never published (a token with an unknown kid but a published key's signature
        // is legitimately accepted: the key is tried anyway), each under a kid nobody knows
        var stranger = TestSigningKey.NewRsa();
        var tokens = Enumerable.Range(0, 1000).Select(_ => AuthHttp.Token(idp, stranger, s => s with { Kid = $"unknown-{Guid.NewGuid():N}" })).ToList();
        var fetchesBefore = idp.JwksRequests;
        // The issuer is slow to answer until every call has arrived, so that all thousand are concurrent with the
        // fetches whatever this machine's speed (a flood spread over more than the 1 s floor may rightly cost a
        // fetch per second).
        var release = idp.HoldJwks();

        var flood = tokens.Select(async token =>
        {
            var response = await server.Client.EchoWithTokenAsync(token);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }).ToList();
        try
        {
            await Eventually.UntilAsync(async () => (await MetricsText.ScrapeAsync(server.Client)).Value("jarvis_auth_key_lookups_waiting") == 1000,
                TimeSpan.FromSeconds(30), "all 1000 calls wait for a key fetch");
        }
        finally { release(); }
        var answers = await Task.WhenAll(flood);

        var fetches = idp.JwksRequests - fetchesBefore;
        output.WriteLine($"1000 unknown kids caused {fetches} JWKS fetch(es)");
        foreach (var response in answers)
            using (response) await AuthHttp.AssertUnauthorizedAsync(response, AuthHttp.InvalidToken);
        Assert.InRange(fetches, 1, 2);
        Assert.Equal(0, (await MetricsText.ScrapeAsync(server.Client)).Value("jarvis_auth_key_lookups_waiting"));
        // the known key still works afterwards
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
    }

    [Fact]
    public async Task With_a_long_floor_unknown_kids_soon_after_a_fetch_are_refused_without_asking_the_issuer()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp, extra: ("JARVIS_AUTH_KEY_REFRESH_MIN_SECS", "30")));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        var fetchesBefore = idp.JwksRequests;

        var stranger = TestSigningKey.NewRsa();
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            var token = AuthHttp.Token(idp, stranger, s => s with { Kid = $"unknown-{Guid.NewGuid():N}" });
            using var response = await server.Client.EchoWithTokenAsync(token);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.Unauthorized && a.Body.Contains($"\"{AuthHttp.InvalidToken}\""),
            $"an unknown kid was answered {(int)a.StatusCode}: {a.Body}"));
        // the next fetch is 30 s after the last, too far off to hold a request for
        Assert.Equal(0, idp.JwksRequests - fetchesBefore);
    }

    [Fact]
    public async Task An_unknown_kid_while_the_provider_is_down_is_401_unable_to_fetch_JWKS_and_known_keys_keep_working()
    {
        var key = TestSigningKey.NewRsa();
        var newKey = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        await using var server = await ExecutorServer.StartAsync(AuthHttp.Required(idp));
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");
        idp.Failing = true;

        await AuthHttp.AssertUnauthorizedAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, newKey)), AuthHttp.UnableToFetchJwks);
        await HttpAssert.ResultAsync(await server.Client.EchoWithTokenAsync(AuthHttp.Token(idp, key)), "succeeded");

        idp.Publish(key, newKey);
        idp.Failing = false;
        await server.Client.EchoEventuallySucceedsAsync(AuthHttp.Token(idp, newKey), "the new key is accepted once the provider is back");
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
