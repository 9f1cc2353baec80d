using Jarvis.Api.Config;
using Microsoft.Extensions.Configuration;

namespace Jarvis.Api.Tests.Observability;

/// <summary>JARVIS_TRACES_EXPORTER and the OTLP settings are read and checked once at start.</summary>
public sealed class TracingSettingsTests
{
    private static TracingOptions Load(params (string Key, string Value)[] settings) =>
        JarvisOptions.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build()).Tracing;

    [Fact]
    public void Default_is_no_exporter_and_the_service_name_jarvis_atomic_executor()
    {
        var tracing = Load();
        Assert.Equal(TracesExporter.None, tracing.Exporter);
        Assert.Equal("jarvis-atomic-executor", tracing.ServiceName);
    }

    [Theory]
    [InlineData("none", TracesExporter.None)]
    [InlineData("console", TracesExporter.Console)]
    [InlineData("OTLP", TracesExporter.Otlp)]
    public void Exporter_is_read_case_insensitively(string value, TracesExporter expected) =>
        Assert.Equal(expected, Load(("JARVIS_TRACES_EXPORTER", value)).Exporter);

    [Fact]
    public void Service_name_comes_from_OTEL_SERVICE_NAME() =>
        Assert.Equal("executor-eu-1", Load(("OTEL_SERVICE_NAME", "executor-eu-1")).ServiceName);

    [Theory]
    [InlineData("JARVIS_TRACES_EXPORTER", "jaeger")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "ftp://collector/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon")]
    public void Unusable_value_stops_startup_naming_the_setting(string key, string value)
    {
        (string, string)[] settings = key == "JARVIS_TRACES_EXPORTER" ? [(key, value)] : [("JARVIS_TRACES_EXPORTER", "otlp"), (key, value)];
        var error = Assert.Throws<StartupException>(() => Load(settings));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Otlp_settings_are_not_checked_when_otlp_is_not_the_exporter() =>
        Assert.Equal(TracesExporter.Console, Load(("JARVIS_TRACES_EXPORTER", "console"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url")).Exporter);
}
