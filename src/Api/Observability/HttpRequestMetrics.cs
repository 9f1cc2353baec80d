using System.Collections.Concurrent;
using System.Diagnostics;
using Prometheus;

namespace Jarvis.Api.Observability;

/// <summary>HTTP requests by method, route and status code, and their duration. Labels are the route
/// <em>pattern</em> (the cancel route holds a node_run_id) and a fixed set of methods, so that no caller can grow
/// the number of series: an unknown path or a made-up method is one more request in an existing series.
/// (prometheus-net's UseHttpMetrics labels the raw method, which a client chooses freely.)</summary>
public sealed class HttpRequestMetrics
{
    /// <summary>Requests no route matched (404, and 405 for a known path with another method).</summary>
    public const string NoRoute = "(none)";

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly ConcurrentDictionary<(string Method, string Route, int Status), Counter.Child> _requestSeries = new();
    private readonly ConcurrentDictionary<(string Method, string Route), Histogram.Child> _durationSeries = new();

    public HttpRequestMetrics(MetricFactory metrics)
    {
        _requests = metrics.CreateCounter("jarvis_http_requests_total", "HTTP requests answered, by method, route pattern and status code.",
            "method", "route", "status");
        _duration = metrics.CreateHistogram("jarvis_http_request_duration_seconds", "Time to answer HTTP requests, by method and route pattern.",
            new HistogramConfiguration { LabelNames = ["method", "route"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 20) });
    }

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        // Routing has already run (WebApplication puts it first); read the endpoint now because the exception
        // handler clears it before writing a 500.
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? NoRoute;
        try
        {
            await next(http);
        }
        finally
        {
            var method = MethodLabel(http.Request.Method);
            _requestSeries.GetOrAdd((method, route, http.Response.StatusCode),
                static (key, counter) => counter.WithLabels(key.Method, key.Route, key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _requests).Inc();
            _durationSeries.GetOrAdd((method, route), static (key, histogram) => histogram.WithLabels(key.Method, key.Route), _duration)
                .Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static string MethodLabel(string method) =>
        HttpMethods.IsGet(method) ? "GET" : HttpMethods.IsPost(method) ? "POST" : HttpMethods.IsHead(method) ? "HEAD" : "other";
}
