using System.Collections.Frozen;
using Jarvis.Actors.Supervision;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Prometheus;

namespace Jarvis.Api.Auth;

/// <summary>What a fresh look at the issuer's keys says about a token's <c>kid</c>.</summary>
public enum KidLookup { Found, NotFound, Unavailable }

/// <summary>The issuer's signing keys (OIDC discovery or a JWKS URL), fetched when first needed, when a token names a
/// <c>kid</c> the set does not hold (key rotation), and every <see cref="PeriodicRefresh"/>.
/// Fetches run one at a time, each starting at least <c>floor</c> after the previous one started: callers with an
/// unknown kid wait (at most <see cref="MaxWaitForFetch"/>) for the next fetch and share it, a kid that a fetch started
/// after its caller arrived did not find is remembered as unknown for <see cref="UnknownKidMemory"/>, and after a failed
/// fetch the failure is answered without asking again until the floor has passed.</summary>
public sealed class SigningKeySource : IConfigurationManager<OpenIdConnectConfiguration>
{
    public static readonly TimeSpan MaxWaitForFetch = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan UnknownKidMemory = TimeSpan.FromSeconds(60);
    public const int UnknownKidCapacity = 10_000;
    /// <summary>Longer kids are never fetched for (issuers' kids are tens of characters), so the unknown-kid memory
    /// stays small whatever callers send.</summary>
    public const int MaxKidLength = 256;
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PeriodicRefresh = TimeSpan.FromHours(12);

    private sealed record KeySet(OpenIdConnectConfiguration Configuration, FrozenSet<string> KeyIds, DateTimeOffset FetchedAt);

    /// <summary>One fetch, due at <see cref="StartsAt"/> and after <see cref="After"/> (the one running when it was
    /// scheduled) has ended; callers may join it until it has started. Its result is null when it failed.</summary>
    private sealed class Fetch(DateTimeOffset startsAt, Task? after)
    {
        private readonly TaskCompletionSource<KeySet?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public DateTimeOffset StartsAt { get; } = startsAt;
        public Task? After { get; } = after;
        public bool Started { get; set; }
        public Task<KeySet?> Done => _done.Task;
        public void Complete(KeySet? keys) => _done.SetResult(keys);
    }

    private static readonly OpenIdConnectConfiguration NoKeys = new();

    private readonly string _address;
    private readonly IConfigurationRetriever<OpenIdConnectConfiguration> _retriever;
    private readonly IDocumentRetriever _documents;
    private readonly TimeSpan _floor;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Counter.Child _fetched, _failed;
    private readonly Gauge _waiting;
    private readonly Lock _gate = new();
    private readonly ExpiringLruCache<bool> _unknownKids;
    private volatile KeySet? _keys;
    private Fetch? _latest;
    private DateTimeOffset _lastStart = DateTimeOffset.MinValue;
    private DateTimeOffset? _lastFailure;

    public SigningKeySource(string address, IConfigurationRetriever<OpenIdConnectConfiguration> retriever, IDocumentRetriever documents,
        TimeSpan floor, TimeProvider clock, ILogger<SigningKeySource> log, MetricFactory metrics)
    {
        _address = address;
        _retriever = retriever;
        _documents = documents;
        _floor = floor;
        _clock = clock;
        _log = log;
        _unknownKids = new ExpiringLruCache<bool>(UnknownKidCapacity, UnknownKidMemory, clock);
        var fetches = metrics.CreateCounter("jarvis_auth_key_fetches_total",
            "Fetches of the issuer's signing keys (discovery and JWKS), by outcome (succeeded, failed).", "outcome");
        _fetched = fetches.WithLabels("succeeded");
        _failed = fetches.WithLabels("failed");
        _waiting = metrics.CreateGauge("jarvis_auth_key_lookups_waiting",
            "Requests whose token names a kid the held keys lack, waiting for a fetch of the issuer's keys.");
    }

    /// <summary>True until a fetch has brought at least one signing key: a token refused then is the issuer's
    /// fault ("Unable to fetch JWKS"), not the caller's.</summary>
    public bool HoldsNoKeys => _keys is not { Configuration.SigningKeys.Count: > 0 };

    /// <summary>The keys as last fetched (JwtBearer asks on every request); the first call waits for the first fetch.
    /// With no keys to be had it answers a configuration without keys rather than throwing (JwtBearer would turn a
    /// throw into a 500): the token then fails its signature check and <see cref="LookUpAsync"/> says why.</summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (_keys is { } keys)
        {
            if (_clock.GetUtcNow() - keys.FetchedAt >= PeriodicRefresh) RequestRefresh();
            return keys.Configuration;
        }
        Fetch first;
        Fetch? created = null;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (FailedRecently(now)) return NoKeys;
            first = _latest is { Done.IsCompleted: false } running ? running : Schedule(now, TimeSpan.MaxValue, out created)!;
        }
        Start(created);
        return (await first.Done.WaitAsync(cancel))?.Configuration ?? NoKeys;
    }

    /// <summary>Fetches again in the background, unless a fetch is already running or due (the floor still applies).</summary>
    public void RequestRefresh()
    {
        Fetch? created = null;
        lock (_gate)
            if (_latest is not { Done.IsCompleted: false })
                Schedule(_clock.GetUtcNow(), TimeSpan.MaxValue, out created);
        Start(created);
    }

    /// <summary>A token named <paramref name="kid"/> and no key held has it: look again at the issuer, if allowed.
    /// <see cref="KidLookup.Found"/> means the keys now held have it.</summary>
    public async Task<KidLookup> LookUpAsync(string? kid)
    {
        if (string.IsNullOrEmpty(kid) || kid.Length > MaxKidLength) return KidLookup.NotFound;
        Fetch? fetch, created;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_keys?.KeyIds.Contains(kid) == true) return KidLookup.Found; // fetched since the token was checked
            if (_unknownKids.TryGet(kid, out _)) return KidLookup.NotFound;
            if (FailedRecently(now)) return KidLookup.Unavailable;
            fetch = Schedule(now, MaxWaitForFetch, out created);
        }
        Start(created);
        if (fetch is null) return KidLookup.NotFound; // the next fetch is too far off to make the caller wait for it
        KeySet? keys;
        using (_waiting.TrackInProgress()) keys = await fetch.Done;
        if (keys is null) return KidLookup.Unavailable;
        if (keys.KeyIds.Contains(kid)) return KidLookup.Found;
        lock (_gate) _unknownKids.Set(kid, true);
        return KidLookup.NotFound;
    }

    /// <summary>The fetch that will start after now: the one not yet started, or a new one (<paramref name="created"/>,
    /// for the caller to start once out of the lock) at the first moment the floor allows; null if that is more than
    /// <paramref name="maxWait"/> away.</summary>
    private Fetch? Schedule(DateTimeOffset now, TimeSpan maxWait, out Fetch? created)
    {
        created = null;
        if (_latest is { Started: false } pending) return pending;
        var startsAt = _lastStart == DateTimeOffset.MinValue || now - _lastStart >= _floor ? now : _lastStart + _floor;
        if (startsAt - now > maxWait) return null;
        created = _latest = new Fetch(startsAt, _latest is { Done.IsCompleted: false } running ? running.Done : null);
        return created;
    }

    /// <summary>Runs a new fetch; one that is due now starts on the caller's thread (its request is on its way before
    /// the caller waits), a later one when its time comes.</summary>
    private void Start(Fetch? fetch)
    {
        if (fetch is not null) _ = RunAsync(fetch);
    }

    private async Task RunAsync(Fetch fetch)
    {
        if (fetch.After is { } previous) await previous; // one fetch in flight at a time; a fetch never throws
        var delay = fetch.StartsAt - _clock.GetUtcNow();
        if (delay > TimeSpan.Zero) await Task.Delay(delay, _clock);
        lock (_gate)
        {
            fetch.Started = true;
            _lastStart = _clock.GetUtcNow();
        }
        fetch.Complete(await FetchAsync());
    }

    private async Task<KeySet?> FetchAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(FetchTimeout, _clock);
            var configuration = await _retriever.GetConfigurationAsync(_address, _documents, timeout.Token);
            var keys = new KeySet(configuration, configuration.SigningKeys.Select(k => k.KeyId).OfType<string>().ToFrozenSet(StringComparer.Ordinal),
                _clock.GetUtcNow());
            lock (_gate)
            {
                _keys = keys;
                _lastFailure = null;
            }
            _fetched.Inc();
            _log.LogInformation("Fetched {Count} signing key(s) from {Address}", configuration.SigningKeys.Count, _address);
            return keys;
        }
        catch (Exception e)
        {
            lock (_gate) _lastFailure = _clock.GetUtcNow();
            _failed.Inc();
            _log.LogWarning("Fetching signing keys from {Address} failed, not retried for {Floor} s: {Error}", _address, _floor.TotalSeconds,
                e.Message);
            return null;
        }
    }

    private bool FailedRecently(DateTimeOffset now) => _lastFailure is { } at && now - at < _floor;
}

/// <summary>No signing key could be fetched to check a token with: answered 401 "Unable to fetch JWKS".</summary>
public sealed class SigningKeysUnavailableException(string message) : InvalidOperationException(message);
