using Jarvis.Api.Contract;
using Microsoft.AspNetCore.Diagnostics;

namespace Jarvis.Api.Errors;

/// <summary>Makes every non-2xx answer an ErrorEnvelope: unknown routes, wrong methods, Kestrel's own
/// rejections and crashes included. Exception text never reaches the caller; it is logged.</summary>
public static class ErrorEnvelopeHandling
{
    public static WebApplication UseErrorEnvelopes(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteExceptionAsync, SuppressDiagnosticsCallback = _ => false });
        app.UseStatusCodePages(context => WriteEnvelopeAsync(context.HttpContext, context.HttpContext.Response.StatusCode));
        return app;
    }

    private static Task WriteExceptionAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
        var message = error is BadHttpRequestException && status != 413 ? "the request could not be read (truncated or malformed body)" : null;
        return WriteEnvelopeAsync(http, status, message);
    }

    private static Task WriteEnvelopeAsync(HttpContext http, int status, string? message = null)
    {
        if (http.Response.HasStarted) return Task.CompletedTask;
        http.Response.StatusCode = status;
        var result = ApiErrors.Result(status, ApiErrors.CodeFor(status), message ?? ApiErrors.MessageFor(status, http),
            retryable: status >= 500 ? true : null);
        return result.ExecuteAsync(http);
    }
}
