using Jarvis.Actors.Sharding;
using Jarvis.Actors.Supervision;
using Jarvis.Api.Config;
using Prometheus;

namespace Jarvis.Api.Observability;

public static class ObservabilityHosting
{
    /// <summary>Metrics in a registry of this host's own (a process may host several executors, tests do:
    /// each scrape must show its own runs, and no host may leave callbacks behind in a global registry),
    /// the run observer and its log writer, and tracing.</summary>
    public static IServiceCollection AddJarvisObservability(this IServiceCollection services, JarvisOptions options)
    {
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry); // process_* and dotnet_* (memory, GC, CPU, threads)
        services.AddSingleton(registry);
        var factory = (MetricFactory)Metrics.WithCustomRegistry(registry);
        // Exemplars link a series to a trace; with no trace exporter they only cost a trace-context read per observation.
        if (options.Tracing.Exporter == TracesExporter.None) factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        services.AddSingleton(factory);
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<HttpRequestMetrics>();
        services.AddSingleton<RunOutcomeLog>();
        services.AddHostedService(provider => provider.GetRequiredService<RunOutcomeLog>());
        services.AddSingleton<IRunObserver, RunOutcomeObserver>();
        services.AddSingleton<ClusterMembership>();
        if (options.Cluster is not null)
        {
            services.AddSingleton<ClusterMetrics>();
            services.AddSingleton<IRunRouteObserver>(provider => provider.GetRequiredService<ClusterMetrics>());
        }
        services.AddJarvisTracing(options.Tracing);
        return services;
    }

    /// <summary>Outermost, so that it sees the final status code of every answer, error envelopes included.</summary>
    public static WebApplication UseHttpRequestMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<HttpRequestMetrics>();
        app.Use(next => http => metrics.InvokeAsync(http, next));
        return app;
    }

    public static WebApplication MapJarvisMetrics(this WebApplication app)
    {
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        return app;
    }
}
