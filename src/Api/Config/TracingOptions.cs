namespace Jarvis.Api.Config;

public enum TracesExporter { None, Console, Otlp }

/// <summary>Where OpenTelemetry traces go (JARVIS_TRACES_EXPORTER, OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_*).</summary>
public sealed record TracingOptions
{
    public const string DefaultServiceName = "jarvis-atomic-executor";

    public TracesExporter Exporter { get; init; } = TracesExporter.None;
    public string ServiceName { get; init; } = DefaultServiceName;

    private static readonly Dictionary<string, TracesExporter> Exporters = new()
    {
        ["none"] = TracesExporter.None, ["console"] = TracesExporter.Console, ["otlp"] = TracesExporter.Otlp,
    };

    /// <summary>The OTLP exporter reads its own OTEL_EXPORTER_OTLP_* settings; the two whose bad values it would
    /// only report when the first span is exported are checked here, so that they stop start-up instead.</summary>
    private static readonly string[] Protocols = ["grpc", "http/protobuf"];

    internal static TracingOptions Load(ConfigReader read)
    {
        var exporter = read.OneOf("JARVIS_TRACES_EXPORTER", Exporters) ?? TracesExporter.None;
        if (exporter == TracesExporter.Otlp)
        {
            foreach (var key in new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" })
                if (read.Text(key) is { } endpoint &&
                    !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                    throw new StartupException($"{key}={endpoint} is not valid: expected an absolute http:// or https:// URL");
            foreach (var key in new[] { "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" })
                if (read.Text(key) is { } protocol && !Protocols.Contains(protocol))
                    throw new StartupException($"{key}={protocol} is not valid: expected one of {string.Join(", ", Protocols)}");
        }
        return new TracingOptions { Exporter = exporter, ServiceName = read.Text("OTEL_SERVICE_NAME") ?? DefaultServiceName };
    }
}
