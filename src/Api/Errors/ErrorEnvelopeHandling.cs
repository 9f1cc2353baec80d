using Jarvis.Actors.Diagnostics;
using Jarvis.Api.Contract;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics;

namespace Jarvis.Api.Errors;

/// <summary>Makes every non-2xx answer an ErrorEnvelope: unknown routes, wrong methods, Kestrel's own
/// rejections and crashes included. Exception text never reaches the caller. A crash is logged with its
/// exception; a request body that could not be read is the caller's fault and gets one line without it.</summary>
public static class ErrorEnvelopeHandling
{
    public static WebApplication UseErrorEnvelopes(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorEnvelopeHandling));
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = http => WriteExceptionAsync(http, log),
            // The middleware's own diagnostics log the exception with its stack trace at error level: right for a
            // crash, noise for a caller's broken body, which gets its one line from WriteExceptionAsync instead.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || ClientLeft(context.Exception, context.HttpContext),
        });
        app.UseStatusCodePages(context => WriteEnvelopeAsync(context.HttpContext, context.HttpContext.Response.StatusCode));
        return app;
    }

    private static Task WriteExceptionAsync(HttpContext http, ILogger log)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad) return WriteBodyRefusalAsync(http, bad, log);
        if (error is not null && ClientLeft(error, http))
        {
            // Nobody is left to read an answer; 499 keeps it out of the 5xx in the request metrics.
            http.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            // A reset can fail the body read before Kestrel has registered it. Kestrel would then drain the body
            // once the request ends, find its reader stuck mid-read and log that as an error with a stack trace
            // (dotnet/aspnetcore#17840); aborting tells it now that the connection is gone.
            http.Abort();
            return Task.CompletedTask;
        }
        return WriteEnvelopeAsync(http, StatusCodes.Status500InternalServerError);
    }

    /// <summary>Kestrel's verdict on a request body (bad chunk, ended early, too slow, too large). Not retryable: the
    /// fault lies in how the request was sent, which the executor will not see differently a second time. The
    /// connection is closed because the request's end on it is unknown, so it cannot carry another.</summary>
    private static Task WriteBodyRefusalAsync(HttpContext http, BadHttpRequestException bad, ILogger log)
    {
        var status = bad.StatusCode;
        var code = ApiErrors.CodeFor(status);
        log.LogInformation("{Status} {Code} for {Method} {Path}: the request body could not be read: {Cause}",
            status, code, LogText.Id(http.Request.Method), LogText.Id(http.Request.Path.ToString()), LogText.Message(bad.Message));
        http.Response.Headers.Connection = "close";
        var message = status switch
        {
            StatusCodes.Status408RequestTimeout => "the request body arrived too slowly and was abandoned",
            StatusCodes.Status413PayloadTooLarge => null,
            _ => "the request body could not be read: its chunked framing is malformed or it ended early",
        };
        return WriteEnvelopeAsync(http, status, message, retryable: false);
    }

    /// <summary>The caller closed or reset the connection, so no answer would reach it.</summary>
    private static bool ClientLeft(Exception error, HttpContext http) =>
        error is ConnectionResetException ||
        ((error is IOException || error is OperationCanceledException) && http.RequestAborted.IsCancellationRequested);

    private static Task WriteEnvelopeAsync(HttpContext http, int status, string? message = null, bool? retryable = null)
    {
        if (http.Response.HasStarted) return Task.CompletedTask;
        http.Response.StatusCode = status;
        var result = ApiErrors.Result(status, ApiErrors.CodeFor(status), message ?? ApiErrors.MessageFor(status, http),
            retryable: retryable ?? (status >= 500 ? true : null));
        return result.ExecuteAsync(http);
    }
}
