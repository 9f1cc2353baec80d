using System.Globalization;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>One scrape of /metrics (Prometheus text format), read series by series.</summary>
public sealed class MetricsText(string text)
{
    public string Text { get; } = text;

    public static async Task<MetricsText> ScrapeAsync(HttpClient client) => new(await client.GetStringAsync("/metrics"));

    /// <summary>The value of one series, written exactly as exposed (e.g. <c>jarvis_runs_in_flight</c> or
    /// <c>name{label="v"}</c>); null when the scrape has no such series.</summary>
    public double? Value(string series)
    {
        foreach (var line in Text.Split('\n'))
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>Every series of a metric family (lines starting with <paramref name="name"/> followed by a label set).</summary>
    public IReadOnlyList<string> Series(string name) =>
        Text.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal)).ToList();
}
