using Jarvis.Api.Auth;
using Jarvis.Api.Cli;
using Jarvis.Api.Config;
using Jarvis.Api.Endpoints;
using Jarvis.Api.Errors;
using Jarvis.Api.Hosting;
using Jarvis.NodePacks.Sdk;
using Jarvis.Api.Observability;

namespace Jarvis.Api;

public static class Program
{
    /// <summary>Cancel URLs up to this size are served: node_run_ids of ~21 000 characters even fully percent-encoded.</summary>
    public const int MaxRequestLineBytes = 64 * 1024;

    public static async Task<int> Main(string[] args)
    {
        WebApplication app;
        try
        {
            if (args is [NodeTypesCommand.Name, .. var rest]) return await NodeTypesCommand.RunAsync(rest, Console.Out);
            if (args is [HealthCommand.Name, .. var healthArgs]) return await HealthCommand.RunAsync(healthArgs, Console.Out);
            if (args is [ClusterCertificatesCommand.Name, .. var certificateArgs]) return ClusterCertificatesCommand.Run(certificateArgs, Console.Out, Console.Error);
            app = Build(args);
            await app.StartAsync();
        }
        catch (Exception e) when (e is StartupException or IOException)
        {
            // IOException: Kestrel could not bind (address in use, not an address of this machine).
            await Console.Error.WriteLineAsync($"jarvis-atomic-executor: {e.Message}");
            return 2;
        }
        catch (Exception e) when (RemotingBindFailure(e) is { } bind)
        {
            var cause = bind.InnerException?.Message ?? "unknown cause";
            await Console.Error.WriteLineAsync($"jarvis-atomic-executor: cluster remoting (JARVIS_CLUSTER_HOSTNAME / JARVIS_CLUSTER_PORT): {bind.Message.Split(". ")[0]}: {cause}");
            return 2;
        }
        var exitCode = await RunUntilStoppedAsync(app);
        await app.DisposeAsync(); // flushes the console logger's queued lines
        return exitCode;
    }

    /// <summary>0 after a normal stop; <see cref="ExecutorAvailability.LostExitCode"/> when the actor system stopped
    /// under the service (the cluster downed this node); 1 when stopping itself failed.</summary>
    private static async Task<int> RunUntilStoppedAsync(WebApplication app)
    {
        var availability = app.Services.GetRequiredService<ExecutorAvailability>();
        try
        {
            await app.WaitForShutdownAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or AggregateException)
        {
            app.Logger.LogError("the service did not stop cleanly: {Reason}", e.Message);
            return availability.ExitCode == 0 ? 1 : availability.ExitCode;
        }
        return availability.ExitCode;
    }

    /// <summary>Cluster mode: the actor system could not bind its remoting port (it is created while the host starts).</summary>
    private static Akka.Remote.RemoteTransportException? RemotingBindFailure(Exception e) => e switch
    {
        Akka.Remote.RemoteTransportException transport => transport,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.Select(RemotingBindFailure).FirstOrDefault(found => found is not null),
        { InnerException: { } inner } => RemotingBindFailure(inner),
        _ => null,
    };

    /// <param name="packs">Replaces the installed node packs (the reference's <c>handlers=</c>); null means the
    /// built-in packs plus those in JARVIS_NODEPACKS_PATH.</param>
    public static WebApplication Build(string[] args, IReadOnlyList<INodePack>? packs = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = JarvisOptions.Load(builder.Configuration);
        var auth = AuthOptions.Load(builder.Configuration).EnsureUsable();

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // Per-request framework chatter only when asked for; the run outcome line is the one that matters.
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.LogLevel <= LogLevel.Debug ? options.LogLevel : LogLevel.Warning);
        // Hosting creates an Activity per request whenever its diagnostics logger is enabled at any level. That logger
        // writes request start/finish (debug detail) and start-up failures (which Main reports itself), so below
        // debug it is off, and a request costs an Activity only when a tracer listens.
        if (options.LogLevel > LogLevel.Debug) builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (options.LogFormat == LogFormat.Json) builder.Logging.AddJsonConsole();
        else builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Services.AddSingleton<RunOutcomeConsole>(); // the console is the sink: run lines go there in batches

        builder.WebHost.UseUrls(options.ListenUrl);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            // Long node_run_ids must fit the cancel route's URL (Kestrel's own 414 cannot be an ErrorEnvelope),
            // but a per-connection limit must not grow with the body limit.
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes;
        });
        builder.Services.AddJarvisExecutor(options, packs);
        builder.Services.AddArpAuthentication(auth);
        builder.Services.AddApiDocs();

        var app = builder.Build();
        app.UseHttpRequestMetrics();
        app.UseErrorEnvelopes();
        app.UseAvailabilityGate();
        app.UseArpAuthentication();
        app.MapServiceInfoApi();
        app.MapAtomicNodeRunsApi();
        app.MapJarvisMetrics();
        app.MapApiDocs();
        return app;
    }
}
