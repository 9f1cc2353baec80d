using Jarvis.Api.Contract;

namespace Jarvis.Api.Hosting;

/// <summary>Once the actor system has started to stop (<see cref="ExecutorAvailability"/>), every request but a
/// metrics scrape is answered at once with a retryable 503 (health too, so that a balancer's probe takes the instance
/// out), instead of being handed to actors that will never answer. Costs one volatile read per request before that.</summary>
public static class AvailabilityGate
{
    private const string MetricsPath = "/metrics";

    public static WebApplication UseAvailabilityGate(this WebApplication app)
    {
        var availability = app.Services.GetRequiredService<ExecutorAvailability>();
        app.Use((http, next) => availability.IsAvailable || http.Request.Path.Equals(MetricsPath, StringComparison.Ordinal)
            ? next(http)
            : Refuse(http, availability).ExecuteAsync(http));
        return app;
    }

    /// <summary>The 503 for a request the stopping executor cannot serve; <c>details.status</c> is <c>down</c> so that a
    /// health probe reading the body (as the spec's 200 <c>Health</c> would have it) sees the same verdict.</summary>
    public static IResult Refuse(HttpContext http, ExecutorAvailability availability)
    {
        http.Response.Headers.Connection = "close"; // this process is going away: a client should not reuse the connection
        return ApiErrors.Unavailable(http, availability.RefusalCode, availability.RefusalMessage,
            details: new System.Text.Json.Nodes.JsonObject { ["status"] = "down" });
    }
}
