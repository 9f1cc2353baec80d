using System.Buffers;
using System.Net;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Web;

/// <summary>Performs one <see cref="FetchRequest"/>: follows redirects itself so that every hop passes the
/// guard's URL check (the guard checks every connection's address too), and reads the body as it streams,
/// stopping at the byte limit instead of after it.</summary>
public sealed class WebFetcher(EgressGuard guard, HttpClient client)
{
    public const int MaxRedirects = 10;
    private const string UserAgent = "jarvis-web-fetch/" + WebNodePack.PackVersion;

    /// <summary>Credentials meant for one origin are not carried to another by a redirect.</summary>
    private static readonly string[] CredentialHeaders = ["Authorization", "Proxy-Authorization", "Cookie"];

    public async ValueTask<JsonObject> FetchAsync(FetchRequest request, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(request.Timeout);
        try
        {
            return await FollowAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new NodeFailureException("fetch_timeout",
                $"{request.Url.Host} gave no complete answer within {request.Timeout.TotalSeconds:0.###} s", retryable: true);
        }
        catch (EgressDeniedException denied)
        {
            throw Denied(denied);
        }
        catch (HttpRequestException e) when (Cause<EgressDeniedException>(e) is { } denied)
        {
            throw Denied(denied);
        }
        catch (HttpRequestException e)
        {
            throw new NodeFailureException("fetch_failed", $"the request to {request.Url.Host} failed: {e.Message}", retryable: true);
        }
        catch (IOException e) // HttpIOException: the connection failed while the body was being read
        {
            throw new NodeFailureException("fetch_failed", $"the response from {request.Url.Host} broke off: {e.Message}", retryable: true);
        }
    }

    private async Task<JsonObject> FollowAsync(FetchRequest request, CancellationToken cancellation)
    {
        var hop = request;
        for (var redirects = 0; ; redirects++)
        {
            guard.CheckUrl(hop.Url);
            var response = await SendAsync(hop, cancellation);
            using (response)
            {
                if (!request.FollowRedirects || NextHop(hop, response) is not { } next)
                    return await ReadAsync(response, hop, cancellation);
                if (redirects == MaxRedirects)
                    throw new NodeFailureException("too_many_redirects",
                        $"more than {MaxRedirects} redirects starting from {request.Url}", details: new JsonObject { ["last_url"] = hop.Url.AbsoluteUri });
                hop = next;
            }
        }
    }

    private Task<HttpResponseMessage> SendAsync(FetchRequest hop, CancellationToken cancellation)
    {
        var message = new HttpRequestMessage(hop.Method, hop.Url) { Version = HttpVersion.Version11 };
        if (hop.Body is not null)
        {
            message.Content = new ByteArrayContent(hop.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", hop.BodyContentType);
        }
        foreach (var (name, value) in hop.Headers)
        {
            if (message.Headers.TryAddWithoutValidation(name, value)) continue;
            message.Content ??= new ByteArrayContent([]);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) message.Content.Headers.Remove(name);
            if (!message.Content.Headers.TryAddWithoutValidation(name, value))
                throw new InvalidNodeInputsException($"the header '{name}' cannot be sent");
        }
        if (!message.Headers.Contains("User-Agent")) message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        return client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellation);
    }

    /// <summary>The request a redirect asks for, as browsers and common clients do: 303, and 301/302 after
    /// a POST, become a GET without body; 307/308 repeat the request.</summary>
    private static FetchRequest? NextHop(FetchRequest hop, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location) return null;
        var url = new Uri(hop.Url, location);
        var next = hop with { Url = url };
        if (status == 303 && hop.Method != HttpMethod.Head || status is 301 or 302 && hop.Method == HttpMethod.Post)
            next = next with { Method = HttpMethod.Get, Body = null, BodyContentType = null };
        if (!IsSameOrigin(hop.Url, url))
            next = next with { Headers = hop.Headers.Where(h => !CredentialHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase)).ToArray() };
        return next;
    }

    private static bool IsSameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, FetchRequest hop, CancellationToken cancellation)
    {
        // A HEAD answer's Content-Length is the size of the body a GET would get: none comes with it.
        if (hop.Method != HttpMethod.Head && response.Content.Headers.ContentLength > hop.MaxBytes) throw TooLarge(hop.MaxBytes);
        var body = await ReadLimitedAsync(response.Content, hop.MaxBytes, cancellation);
        var outputs = new JsonObject
        {
            ["status_code"] = (int)response.StatusCode,
            ["headers"] = Headers(response),
            ["content_base64"] = Convert.ToBase64String(body.Span),
            ["final_url"] = hop.Url.AbsoluteUri,
            ["content_bytes"] = body.Length,
        };
        if (response.Content.Headers.ContentType is { } type) outputs["content_type"] = type.ToString();
        return outputs;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadLimitedAsync(HttpContent content, long maxBytes, CancellationToken cancellation)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellation);
        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellation)) > 0)
            {
                if (body.Length + read > maxBytes) throw TooLarge(maxBytes);
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    /// <summary>As received (not re-parsed and re-joined by the client), one entry per header line value.</summary>
    private static JsonArray Headers(HttpResponseMessage response) =>
        new(response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .SelectMany(h => h.Value.Select(v => (JsonNode)new JsonObject { ["key"] = h.Key, ["value"] = v }))
            .ToArray());

    private static NodeFailureException TooLarge(long maxBytes) =>
        new("response_too_large", $"the response body is larger than max_bytes ({maxBytes} bytes); nothing beyond that was read",
            details: new JsonObject { ["max_bytes"] = maxBytes });

    private static NodeFailureException Denied(EgressDeniedException denied) => new("egress_denied", denied.Message);

    private static T? Cause<T>(Exception e) where T : Exception
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is T found) return found;
        return null;
    }
}
