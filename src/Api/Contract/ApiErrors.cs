using System.Text.Json.Nodes;
using Jarvis.NodePacks.Schema;

namespace Jarvis.Api.Contract;

/// <summary>Every non-2xx answer of the service: an ErrorEnvelope with application/json.</summary>
public static class ApiErrors
{
    public static IResult Result(int status, string code, string message, JsonObject? details = null, bool? retryable = null) =>
        TypedResults.Json(new ErrorEnvelope(new ErrorBody(code, message, details, retryable)),
            ContractJson.Default.ErrorEnvelope, "application/json", status);

    public static IResult InvalidRequest(string message, IEnumerable<SchemaError>? errors = null) =>
        Result(StatusCodes.Status400BadRequest, "invalid_request", message, errors is null ? null : Details(errors));

    public static IResult Unavailable(HttpContext http, string code, string message, int retryAfterSeconds = 1,
        JsonObject? details = null)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Result(StatusCodes.Status503ServiceUnavailable, code, message, details, retryable: true);
    }

    /// <summary>The code for a bare status (routing 404/405, Kestrel 413, crashes...).</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        431 => "headers_too_large",
        503 => "unavailable",
        >= 500 => "internal_error",
        _ => $"http_{status}",
    };

    public static string MessageFor(int status, HttpContext http) => status switch
    {
        404 => $"no route for {http.Request.Method} {http.Request.Path}",
        405 => $"{http.Request.Method} is not allowed on {http.Request.Path}",
        413 => "the request body is larger than this service accepts",
        >= 500 => "the executor failed to handle the request; see its logs",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}",
    };

    private static JsonObject Details(IEnumerable<SchemaError> errors) => new()
    {
        ["errors"] = new JsonArray(errors.Take(100).Select(e => (JsonNode)new JsonObject
        {
            ["path"] = e.Path,
            ["message"] = e.Message,
        }).ToArray()),
    };
}
