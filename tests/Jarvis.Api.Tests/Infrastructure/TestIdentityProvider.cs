using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>An OpenID provider served by the test on 127.0.0.1 (OS-picked port): discovery and a JWKS whose keys can
/// be changed at run time (rotation), made to fail with 503, or stopped outright and started again on the same port.
/// It counts the requests it gets so that tests can bound how often the executor fetches keys.</summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string RealmPath = "/realms/test";
    public const string DiscoveryPath = RealmPath + "/.well-known/openid-configuration";
    public const string JwksPath = RealmPath + "/protocol/openid-connect/certs";

    private readonly object _gate = new();
    private IReadOnlyList<TestSigningKey> _published = [];
    private WebApplication? _app;
    private int _jwksRequests;
    private int _discoveryRequests;
    private volatile bool _failing;
    private volatile TaskCompletionSource? _jwksHold;

    private TestIdentityProvider() { }

    /// <summary>Picked by the OS at the first start, kept across <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public int Port { get; private set; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The issuer (Keycloak-like realm URL, no trailing slash); discovery lives at issuer + /.well-known/openid-configuration.</summary>
    public string Issuer => $"http://127.0.0.1:{Port}{RealmPath}";
    public string DiscoveryUrl => $"http://127.0.0.1:{Port}{DiscoveryPath}";
    public string JwksUrl => $"http://127.0.0.1:{Port}{JwksPath}";

    public int JwksRequests => Volatile.Read(ref _jwksRequests);
    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);
    public bool IsRunning => _app is not null;

    /// <summary>Starts the provider publishing <paramref name="keys"/>.</summary>
    public static async Task<TestIdentityProvider> StartAsync(params TestSigningKey[] keys)
    {
        var provider = new TestIdentityProvider();
        provider.Publish(keys);
        (provider._app, provider.Port) = await ListenAsync(0, provider);
        return provider;
    }

    /// <summary>Replaces the published keys (what /jwks answers from the next request on).</summary>
    public void Publish(params TestSigningKey[] keys)
    {
        lock (_gate) _published = keys.ToList();
    }

    public IReadOnlyList<TestSigningKey> Published { get { lock (_gate) return _published; } }

    /// <summary>While true, discovery and JWKS answer 503 (the requests are still counted).</summary>
    public bool Failing { get => _failing; set => _failing = value; }

    /// <summary>Holds JWKS answers (counted as they arrive) until the returned action is called, as a slow issuer would.</summary>
    public Action HoldJwks()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _jwksHold = hold;
        return () =>
        {
            _jwksHold = null;
            hold.TrySetResult();
        };
    }

    /// <summary>Stops listening: connections to the port are refused until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        var app = _app;
        _app = null;
        if (app is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    /// <summary>Starts listening again on the same port.</summary>
    public async Task RestartAsync()
    {
        if (_app is not null) return;
        var (app, _) = await ListenAsync(Port, this);
        _app = app;
    }

    public string JwksJson()
    {
        var keys = new JsonArray();
        foreach (var key in Published) keys.Add(key.PublicJwk());
        return new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    private string DiscoveryJson() => new JsonObject
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = JwksUrl,
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
        ["response_types_supported"] = new JsonArray("code"),
        ["subject_types_supported"] = new JsonArray("public"),
    }.ToJsonString();

    private static async Task<(WebApplication App, int Port)> ListenAsync(int port, TestIdentityProvider provider)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet(DiscoveryPath, () =>
        {
            Interlocked.Increment(ref provider._discoveryRequests);
            return provider.Failing ? Results.StatusCode(503) : Results.Text(provider.DiscoveryJson(), "application/json");
        });
        app.MapGet(JwksPath, async () =>
        {
            Interlocked.Increment(ref provider._jwksRequests);
            if (provider._jwksHold is { } hold) await hold.Task;
            return provider.Failing ? Results.StatusCode(503) : Results.Text(provider.JwksJson(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
