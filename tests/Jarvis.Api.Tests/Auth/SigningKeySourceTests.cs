using System.Collections.Concurrent;
using Jarvis.Api.Auth;
using Jarvis.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Prometheus;

namespace Jarvis.Api.Tests.Auth;

/// <summary>When the key source asks the issuer, on a clock the test moves: one fetch at a time, a floor between
/// fetch starts, unknown kids waiting for the next fetch (and only one started after they arrived), remembered
/// unknown kids, a failed fetch answered again until the floor has passed, and the periodic refresh.</summary>
public sealed class SigningKeySourceTests
{
    private static readonly TimeSpan Floor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new();
    private readonly FakeIssuer _issuer;

    public SigningKeySourceTests() => _issuer = new FakeIssuer(_clock);

    private SigningKeySource Source(TimeSpan? floor = null) => new("https://issuer.test/jwks", _issuer, new HttpDocumentRetriever(),
        floor ?? Floor, _clock, NullLogger<SigningKeySource>.Instance, Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));

    private static async Task<IReadOnlyList<string>> KidsOf(SigningKeySource source) =>
        (await source.GetConfigurationAsync(CancellationToken.None).Within(Patience, "the keys")).SigningKeys.Select(k => k.KeyId).ToList();

    [Fact]
    public async Task The_first_callers_share_one_fetch_however_many_arrive_while_it_runs()
    {
        var source = Source();
        var release = _issuer.Hold();
        var callers = Enumerable.Range(0, 100).Select(_ => source.GetConfigurationAsync(CancellationToken.None)).ToList();
        await Eventually.UntilAsync(() => Task.FromResult(_issuer.Fetches == 1), Patience, "the first fetch started");

        release();
        var configurations = await Task.WhenAll(callers).Within(Patience, "the callers of the first fetch");

        Assert.All(configurations, c => Assert.Equal("a", Assert.Single(c.SigningKeys).KeyId));
        Assert.Equal(1, _issuer.Fetches);
    }

    [Fact]
    public async Task An_unknown_kid_after_the_floor_is_fetched_at_once_and_found()
    {
        var source = Source();
        await KidsOf(source);
        _clock.Advance(Floor);
        _issuer.Publish("a", "b");

        Assert.Equal(KidLookup.Found, await source.LookUpAsync("b").Within(Patience, "the lookup")); // the clock did not move
        Assert.Equal(["a", "b"], await KidsOf(source));
        Assert.Equal(2, _issuer.Fetches);
    }

    [Fact]
    public async Task An_unknown_kid_within_the_floor_waits_for_the_first_fetch_the_floor_allows()
    {
        var source = Source();
        await KidsOf(source);
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        _issuer.Publish("a", "b");

        var lookup = source.LookUpAsync("b");
        _clock.Advance(TimeSpan.FromMilliseconds(700));

        Assert.Equal(KidLookup.Found, await lookup.Within(Patience, "the lookup"));
        var starts = _issuer.Starts;
        Assert.Equal(2, starts.Count);
        Assert.True(starts[1] - starts[0] >= Floor, $"the second fetch started {(starts[1] - starts[0]).TotalMilliseconds} ms after the first");
    }

    [Fact]
    public async Task A_thousand_unknown_kids_at_once_cost_two_fetches_and_are_then_answered_without_one()
    {
        var source = Source();
        await KidsOf(source);
        var kids = Enumerable.Range(0, 1000).Select(i => $"made-up-{i}").ToList();

        // the first kid's fetch starts at once; the others arrived after it had started, so they share the next one
        Assert.Equal(2, await LookUpAllAsync(source, kids));
        Assert.Equal(0, await LookUpAllAsync(source, kids));

        _clock.Advance(SigningKeySource.UnknownKidMemory);
        Assert.Equal(2, await LookUpAllAsync(source, kids));
    }

    [Fact]
    public async Task A_kid_that_arrives_while_a_fetch_runs_waits_for_one_that_starts_after_it()
    {
        var source = Source();
        await KidsOf(source);
        _clock.Advance(Floor);
        var release = _issuer.Hold();
        var first = source.LookUpAsync("x");
        await Eventually.UntilAsync(() => Task.FromResult(_issuer.Fetches == 2), Patience, "the fetch for x started");

        _issuer.Publish("a", "b"); // published while that fetch is on its way back without it
        var rotated = source.LookUpAsync("b");
        release();
        Assert.Equal(KidLookup.NotFound, await first.Within(Patience, "the lookup of x"));
        Assert.False(rotated.IsCompleted, "b was answered from a fetch that started before it arrived");

        _clock.Advance(Floor);
        Assert.Equal(KidLookup.Found, await rotated.Within(Patience, "the lookup of b"));
        Assert.Equal(3, _issuer.Fetches);
    }

    [Fact]
    public async Task After_a_failed_fetch_the_failure_is_answered_without_asking_until_the_floor_has_passed()
    {
        var source = Source();
        _issuer.Failing = true;
        Assert.Empty(await KidsOf(source));
        Assert.True(source.HoldsNoKeys);

        Assert.Equal(KidLookup.Unavailable, await source.LookUpAsync("a").Within(Patience, "the lookup"));
        Assert.Empty(await KidsOf(source));
        Assert.Equal(1, _issuer.Fetches);

        _issuer.Failing = false;
        _clock.Advance(Floor);
        Assert.Equal(KidLookup.Found, await source.LookUpAsync("a").Within(Patience, "the lookup once the floor has passed"));
        Assert.False(source.HoldsNoKeys);
        Assert.Equal(2, _issuer.Fetches);
    }

    [Fact]
    public async Task Keys_already_fetched_stay_when_a_later_fetch_fails_but_the_unknown_kid_is_unavailable()
    {
        var source = Source();
        await KidsOf(source);
        _clock.Advance(Floor);
        _issuer.Failing = true;

        Assert.Equal(KidLookup.Unavailable, await source.LookUpAsync("b").Within(Patience, "the lookup"));
        Assert.Equal(["a"], await KidsOf(source));
    }

    [Fact]
    public async Task With_a_floor_longer_than_the_wait_limit_an_unknown_kid_is_refused_at_once_and_not_remembered()
    {
        var floor = TimeSpan.FromSeconds(30);
        var source = Source(floor);
        await KidsOf(source);
        _clock.Advance(TimeSpan.FromSeconds(5));
        _issuer.Publish("a", "b");

        Assert.Equal(KidLookup.NotFound, await source.LookUpAsync("b").Within(Patience, "the lookup"));
        Assert.Equal(1, _issuer.Fetches);

        _clock.Advance(floor - TimeSpan.FromSeconds(5));
        Assert.Equal(KidLookup.Found, await source.LookUpAsync("b").Within(Patience, "the lookup once the floor has passed"));
    }

    [Fact]
    public async Task A_withdrawn_key_is_gone_after_the_next_fetch()
    {
        var source = Source();
        await KidsOf(source);
        _issuer.Publish("b");
        _clock.Advance(Floor);

        Assert.Equal(KidLookup.Found, await source.LookUpAsync("b").Within(Patience, "the lookup of b"));
        Assert.Equal(["b"], await KidsOf(source));
        _clock.Advance(Floor);
        Assert.Equal(KidLookup.NotFound, await source.LookUpAsync("a").Within(Patience, "the lookup of the withdrawn a"));
    }

    [Fact]
    public async Task Kids_too_long_to_be_real_are_never_fetched_for()
    {
        var source = Source();
        await KidsOf(source);
        _clock.Advance(Floor);

        Assert.Equal(KidLookup.NotFound, await source.LookUpAsync(new string('k', SigningKeySource.MaxKidLength + 1)).Within(Patience, "the lookup"));
        Assert.Equal(KidLookup.NotFound, await source.LookUpAsync("").Within(Patience, "the lookup"));
        Assert.Equal(1, _issuer.Fetches);
    }

    [Fact]
    public async Task The_unknown_kid_memory_is_bounded()
    {
        var source = Source();
        await KidsOf(source);
        var kids = Enumerable.Range(0, SigningKeySource.UnknownKidCapacity + 1).Select(i => $"k{i}").ToList();

        Assert.Equal(2, await LookUpAllAsync(source, kids));
        // had every one of them been remembered, this round would cost no fetch (a forgotten kid, once fetched for,
        // is remembered again and may push out one not yet looked up: hence up to 2)
        Assert.InRange(await LookUpAllAsync(source, kids), 1, 2);
    }

    /// <summary>Looks up <paramref name="kids"/> at once, lets the floor pass, checks all are unknown; returns the fetches made.</summary>
    private async Task<int> LookUpAllAsync(SigningKeySource source, IReadOnlyList<string> kids)
    {
        var before = _issuer.Fetches;
        _clock.Advance(Floor);
        var lookups = kids.Select(source.LookUpAsync).ToList();
        _clock.Advance(Floor); // for any that arrived after the first fetch had started: they wait for the next
        Assert.All(await Task.WhenAll(lookups).Within(Patience, "the lookups"), a => Assert.Equal(KidLookup.NotFound, a));
        return _issuer.Fetches - before;
    }

    [Fact]
    public async Task Keys_are_fetched_again_in_the_background_after_the_periodic_refresh_interval()
    {
        var source = Source();
        await KidsOf(source);
        _issuer.Publish("b");
        _clock.Advance(SigningKeySource.PeriodicRefresh);

        Assert.Equal(["a"], await KidsOf(source)); // answered at once from what is held
        await Eventually.UntilAsync(async () => (await KidsOf(source)).SequenceEqual(["b"]), Patience, "the refreshed keys are served");
        Assert.Equal(2, _issuer.Fetches);
    }

    /// <summary>An issuer whose key ids the test sets; it records when (on the test's clock) each fetch started, can
    /// hold fetches until released, and can fail. A fetch answers the keys published when it started.</summary>
    private sealed class FakeIssuer(TimeProvider clock) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        private readonly ConcurrentQueue<DateTimeOffset> _starts = new();
        private volatile string[] _kids = ["a"];
        private volatile TaskCompletionSource? _hold;

        public volatile bool Failing;
        public int Fetches => _starts.Count;
        public IReadOnlyList<DateTimeOffset> Starts => _starts.ToList();

        public void Publish(params string[] kids) => _kids = kids;

        /// <summary>Holds fetches from now on; call the returned action to let them (and later ones) through.</summary>
        public Action Hold()
        {
            var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _hold = hold;
            return () =>
            {
                _hold = null;
                hold.SetResult();
            };
        }

        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            _starts.Enqueue(clock.GetUtcNow());
            var kids = _kids;
            var failing = Failing;
            if (_hold is { } hold) await hold.Task.WaitAsync(cancel);
            if (failing) throw new IOException("the issuer answered 503");
            var configuration = new OpenIdConnectConfiguration();
            foreach (var kid in kids) configuration.SigningKeys.Add(new SymmetricSecurityKey(new byte[32]) { KeyId = kid });
            return configuration;
        }
    }
}
