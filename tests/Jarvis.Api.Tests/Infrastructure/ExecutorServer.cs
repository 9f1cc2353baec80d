using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>The real executor (Kestrel, real sockets) started in-process on 127.0.0.1 with a port the OS picks.
/// Settings are passed as command-line configuration, exactly as an operator's would be.</summary>
public sealed class ExecutorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExecutorServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration keys, e.g. ("JARVIS_MAX_CONCURRENCY", "2").</param>
    public static Task<ExecutorServer> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, settings);

    /// <param name="packs">Node packs replacing the installed ones, as a host embedding the executor may do.</param>
    public static async Task<ExecutorServer> StartAsync(IReadOnlyList<Jarvis.NodePacks.Sdk.INodePack>? packs, params (string Key, string Value)[] settings)
    {
        var args = new List<string> { "--host=127.0.0.1", "--port=0", "--ARP_AUTH_PROFILE=dev-insecure", "--LOG_LEVEL=warning" };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var app = Program.Build(args.ToArray(), packs);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ExecutorServer(app, new Uri(address));
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken cancellation = default)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Client.PostAsync(path, content, cancellation);
    }

    private Task? _stopped;

    /// <summary>Stops the host as the process's shutdown would (drain, web server, actor system); once only.</summary>
    public Task StopAsync(TimeSpan timeout)
    {
        lock (_app) return _stopped ??= StopOnceAsync(timeout);
    }

    private async Task StopOnceAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _app.StopAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
