using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Web;

/// <summary>The inputs of a fetch, checked beyond what the input schema can say, with the operator's
/// limits applied: a request may ask for less time or fewer bytes than the policy allows, never more.</summary>
public sealed record FetchRequest(
    Uri Url,
    HttpMethod Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? BodyContentType,
    TimeSpan Timeout,
    long MaxBytes,
    bool FollowRedirects)
{
    public static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>Headers the HTTP stack owns: letting a caller set them would desynchronise the message or
    /// the connection.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer",
        "Proxy-Connection", "Expect",
    };

    public static FetchRequest From(JsonObject inputs, EgressPolicy policy)
    {
        var url = ParseUrl(Text(inputs, "url")!, KeyValues(inputs, "params"));
        var json = Text(inputs, "json");
        var body = Text(inputs, "body");
        if (json is not null && body is not null)
            throw new InvalidNodeInputsException("give at most one of `json` and `body`");
        if (json is not null && !IsJson(json))
            throw new InvalidNodeInputsException("`json` must be a JSON text (it is sent as the request body)");
        var timeout = inputs["timeout_seconds"]?.GetValue<double>() is { } seconds
            ? TimeSpan.FromSeconds(Math.Min(seconds, policy.Timeout.TotalSeconds))
            : policy.Timeout;
        var maxBytes = inputs["max_bytes"]?.GetValue<long>() is { } max ? Math.Min(max, policy.MaxResponseBytes) : policy.MaxResponseBytes;
        return new FetchRequest(
            url,
            new HttpMethod((Text(inputs, "method") ?? "GET").ToUpperInvariant()),
            CheckHeaders(KeyValues(inputs, "headers")),
            json is not null ? Encoding.UTF8.GetBytes(json) : body is not null ? Encoding.UTF8.GetBytes(body) : null,
            json is not null ? "application/json" : body is not null ? "text/plain; charset=utf-8" : null,
            timeout,
            maxBytes,
            inputs["follow_redirects"]?.GetValue<bool>() ?? true);
    }

    private static Uri ParseUrl(string text, IReadOnlyList<KeyValuePair<string, string>> queryParams)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new InvalidNodeInputsException("`url` must be an absolute http or https URL");
        if (url.UserInfo.Length > 0)
            throw new InvalidNodeInputsException("`url` must not carry credentials; send them in an Authorization header");
        if (queryParams.Count == 0) return url;
        var added = string.Join("&", queryParams.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var builder = new UriBuilder(url) { Query = url.Query.Length > 1 ? url.Query[1..] + "&" + added : added };
        return builder.Uri;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> CheckHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            if (ReservedHeaders.Contains(name))
                throw new InvalidNodeInputsException($"the header '{name}' is set by the HTTP client and cannot be given");
            if (!name.All(IsTokenChar))
                throw new InvalidNodeInputsException($"'{name}' is not a valid header name");
            if (value.Any(c => c is '\r' or '\n' or '\0'))
                throw new InvalidNodeInputsException($"the value of header '{name}' contains a line break or NUL");
        }
        return headers;
    }

    private static bool IsTokenChar(char c) =>
        c is > ' ' and < (char)127 && !"\"(),/:;<=>?@[\\]{}".Contains(c);

    private static IReadOnlyList<KeyValuePair<string, string>> KeyValues(JsonObject inputs, string name) =>
        inputs[name] is JsonArray items
            ? items.Select(i => KeyValuePair.Create(i!["key"]!.GetValue<string>(), i["value"]!.GetValue<string>())).ToArray()
            : [];

    private static string? Text(JsonObject inputs, string name) => inputs[name]?.GetValue<string>();

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
