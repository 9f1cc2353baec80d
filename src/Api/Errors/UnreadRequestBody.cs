using Microsoft.AspNetCore.Http.Features;

namespace Jarvis.Api.Errors;

/// <summary>A request refused before its body was read (too large, wrong media type, no valid token). Its connection can
/// carry the next request only once the rest of that body has gone by: Kestrel drains it after the answer, but gives
/// up and closes the connection when the body is larger than the request size limit or slow, and it does so without
/// telling the client, which may already have sent its next request on that connection. Saying
/// <c>Connection: close</c> with the refusal makes the client open a new connection instead; Kestrel closes only after
/// the answer is written.</summary>
public static class UnreadRequestBody
{
    public static void CloseConnectionAfterAnswer(HttpContext http)
    {
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
            http.Response.Headers.Connection = "close";
    }
}
