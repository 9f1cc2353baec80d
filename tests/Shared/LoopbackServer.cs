using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jarvis.Tests.Shared;

/// <summary>A request as a <see cref="LoopbackServer"/> received it.</summary>
public sealed record ReceivedRequest(string Method, string Path, QueryString Query, IHeaderDictionary Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? values.ToString() : null;
}

/// <summary>A Kestrel server for egress tests, bound ONLY to a loopback address (127.0.0.1 or 127.0.0.2) on a
/// port the OS picks: whatever a faulty egress guard does, a test's traffic never leaves this machine.
/// It records every request it receives (so a test can prove a server was never reached) and hands each to the
/// test's handler with a token that fires when the client goes away or the server stops.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstAbort = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;
    public int Port => BaseAddress.Port;
    public int RequestCount => _requests.Count;
    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>Completes when the first request has arrived (its body read).</summary>
    public Task FirstRequest => _firstRequest.Task;

    /// <summary>Completes when a client went away in the middle of a request.</summary>
    public Task FirstAbort => _firstAbort.Task;

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <summary>The same server named by another host (e.g. <c>localhost</c>): its port, that host.</summary>
    public string UrlWithHost(string host, string pathAndQuery = "/") => $"http://{host}:{Port}{pathAndQuery}";

    /// <param name="address">127.0.0.1 or 127.0.0.2: nothing else is accepted.</param>
    /// <param name="handler">Answers a request; the token fires when the client aborts or the server stops.</param>
    public static async Task<LoopbackServer> StartAsync(string address, Func<HttpContext, CancellationToken, Task> handler)
    {
        if (address is not ("127.0.0.1" or "127.0.0.2"))
            throw new ArgumentException($"test servers bind to 127.0.0.1 or 127.0.0.2 only, not {address}", nameof(address));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls($"http://{address}:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(context => server.HandleAsync(context, handler));
        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        if (!IPAddress.IsLoopback(IPAddress.Parse(bound.Host)))
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"the test server bound to {bound}, which is not loopback");
        }
        server.BaseAddress = bound;
        return server;
    }

    /// <summary>A server answering 200 with a short text body to every request.</summary>
    public static Task<LoopbackServer> StartOkAsync(string address, string body = "reached") =>
        StartAsync(address, (context, _) => context.Response.WriteAsync(body));

    private async Task HandleAsync(HttpContext context, Func<HttpContext, CancellationToken, Task> handler)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = context.Request;
        _requests.Enqueue(new ReceivedRequest(request.Method, request.Path.Value ?? "", request.QueryString,
            new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)),
            body.ToArray()));
        _firstRequest.TrySetResult();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        using var onAbort = context.RequestAborted.Register(() => _firstAbort.TrySetResult());
        try
        {
            await handler(context, linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested) { }
        catch (IOException) when (linked.IsCancellationRequested) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _stopping.Dispose();
        }
    }
}

/// <summary>Handlers a test server commonly needs.</summary>
public static class Respond
{
    /// <summary>A redirect with this status to <paramref name="location"/>.</summary>
    public static Func<HttpContext, CancellationToken, Task> Redirect(string location, int status = 302) => (context, _) =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    };

    /// <summary>Answers 200 and streams chunks until the client goes away: a body with no end.</summary>
    public static async Task Endless(HttpContext context, CancellationToken stop)
    {
        context.Response.ContentType = "application/octet-stream";
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'x');
        while (!stop.IsCancellationRequested)
        {
            await context.Response.Body.WriteAsync(chunk, stop);
            await context.Response.Body.FlushAsync(stop);
        }
    }

    /// <summary>Sends the headers and one byte of body, then nothing more: a body that never ends.</summary>
    public static async Task Stall(HttpContext context, CancellationToken stop)
    {
        await context.Response.Body.WriteAsync("x"u8.ToArray(), stop);
        await context.Response.Body.FlushAsync(stop);
        await Task.Delay(Timeout.Infinite, stop);
    }

    /// <summary>Never answers: holds the request until the client goes away or the server stops.</summary>
    public static Task Hold(HttpContext context, CancellationToken stop) => Task.Delay(Timeout.Infinite, stop);
}
