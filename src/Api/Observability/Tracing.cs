using Jarvis.Actors.Runs;
using Jarvis.Api.Config;
using Jarvis.Api.Endpoints;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Jarvis.Api.Observability;

/// <summary>OpenTelemetry tracing: a span per HTTP request (continuing the caller's <c>traceparent</c>), the per-run
/// spans of <see cref="RunTracing"/>, and outgoing HttpClient calls (jarvis.web.fetch), sent to the configured exporter.</summary>
public static class Tracing
{
    public static IServiceCollection AddJarvisTracing(this IServiceCollection services, TracingOptions options)
    {
        // No tracer provider at all: no ActivityListener exists, so no span is ever created on the hot path.
        if (options.Exporter == TracesExporter.None) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceVersion: ServiceInfoApi.ServiceVersion))
            .WithTracing(tracing =>
            {
                tracing.AddSource(RunTracing.SourceName)
                    // Prometheus scrapes every few seconds: their spans would drown the ones that matter.
                    .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => http.Request.Path != "/metrics")
                    .AddHttpClientInstrumentation();
                if (options.Exporter == TracesExporter.Console) tracing.AddConsoleExporter();
                else tracing.AddOtlpExporter(); // endpoint, protocol, headers: the standard OTEL_EXPORTER_OTLP_* settings
            });
        return services;
    }
}
