using Jarvis.Api.Config;
using Jarvis.Api.Endpoints;
using Jarvis.Api.Errors;
using Jarvis.Api.Hosting;
using Jarvis.NodePacks.Sdk;
using Prometheus;

namespace Jarvis.Api;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync($"jarvis-atomic-executor: {e.Message}");
            return 2;
        }
        await app.RunAsync();
        return 0;
    }

    /// <param name="packs">Replaces the installed node packs (the reference's <c>handlers=</c>); null means the
    /// built-in packs plus those in JARVIS_NODEPACKS_PATH.</param>
    public static WebApplication Build(string[] args, IReadOnlyList<INodePack>? packs = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = JarvisOptions.Load(builder.Configuration);
        AuthStartupGuard.Check(builder.Configuration);

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // Per-request framework chatter only when asked for; the run outcome line is the one that matters.
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.LogLevel <= LogLevel.Debug ? options.LogLevel : LogLevel.Warning);
        if (options.LogFormat == LogFormat.Json) builder.Logging.AddJsonConsole();
        else builder.Logging.AddSimpleConsole(console => console.SingleLine = true);

        builder.WebHost.UseUrls(options.ListenUrl);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            // Any node_run_id an execute body can carry must fit the cancel route's URL, percent-encoded;
            // Kestrel's own 414 could not be an ErrorEnvelope.
            kestrel.Limits.MaxRequestLineSize = (int)Math.Min(int.MaxValue, 3 * options.MaxBodyBytes + 1024);
            kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, kestrel.Limits.MaxRequestLineSize);
            kestrel.Limits.MaxRequestBufferSize = Math.Max(kestrel.Limits.MaxRequestBufferSize ?? 0, kestrel.Limits.MaxRequestLineSize);
        });
        builder.Services.AddJarvisExecutor(options, packs);

        var app = builder.Build();
        app.UseErrorEnvelopes();
        app.MapServiceInfoApi();
        app.MapAtomicNodeRunsApi();
        app.MapMetrics("/metrics");
        return app;
    }
}
