using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jarvis.Actors.Runs;
using Jarvis.Api.Errors;
using Jarvis.NodePacks.Schema;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Jarvis.Api.Contract;

/// <summary>Turns an execute request's body into a <see cref="RunRequest"/>, or into the 4xx that says why not:
/// media type, size, UTF-8, JSON syntax, nesting depth, duplicate keys, then the ARP schema. A body whose HTTP
/// framing is broken throws a <see cref="BadHttpRequestException"/>, which ErrorEnvelopeHandling answers.</summary>
public sealed class ExecuteRequestReader(long maxBodyBytes)
{
    private static readonly JsonSchemaValidator Schema = JsonSchemaValidator.Compile(ExecuteRequestSchema.Json);

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        MaxDepth = 64,
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public async Task<(RunRequest? Request, IResult? Error)> ReadAsync(HttpRequest http, CancellationToken cancellation)
    {
        if (!IsJson(http.ContentType))
        {
            UnreadRequestBody.CloseConnectionAfterAnswer(http.HttpContext);
            return (null, ApiErrors.Result(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                "the request body must be application/json (UTF-8)"));
        }
        if (http.ContentLength > maxBodyBytes)
        {
            UnreadRequestBody.CloseConnectionAfterAnswer(http.HttpContext);
            return (null, TooLarge());
        }

        // The limit is enforced below, where a chunked body over it can still be drained: Kestrel's own check would
        // end the connection mid-body instead, while the client is still sending it.
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit) sizeLimit.MaxRequestBodySize = null;
        var reader = http.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellation);
            }
            catch (IOException e) when (e is not BadHttpRequestException and not ConnectionResetException && !cancellation.IsCancellationRequested)
            {
                // Kestrel reports a chunk size too large for it (e.g. ffffffffffffffffff) as a bare IOException, though
                // it is a framing error like any other bad chunk size, which it reports as a 400 BadHttpRequestException.
                throw new BadHttpRequestException(e.Message, StatusCodes.Status400BadRequest, e);
            }
            var buffer = read.Buffer;
            if (buffer.Length > maxBodyBytes)
            {
                // A body without a declared length, over the limit: the rest of it is read and dropped, so the client can
                // finish sending and reuse the connection; past DrainBytes more the connection is closed after the answer.
                reader.AdvanceTo(buffer.End);
                if (!await DrainAsync(reader, cancellation)) UnreadRequestBody.CloseConnectionAfterAnswer(http.HttpContext);
                return (null, TooLarge());
            }
            if (read.IsCompleted || read.IsCanceled)
            {
                try { return Parse(buffer); }
                finally { reader.AdvanceTo(buffer.End); }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>How much of an over-limit body is read and dropped, at most, to keep its connection usable.</summary>
    public const long DrainBytes = 1024 * 1024;

    /// <summary>Reads and drops the rest of the body; false when more than <see cref="DrainBytes"/> of it is left.</summary>
    private static async Task<bool> DrainAsync(PipeReader reader, CancellationToken cancellation)
    {
        for (long drained = 0; drained <= DrainBytes;)
        {
            var read = await reader.ReadAsync(cancellation);
            drained += read.Buffer.Length;
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted || read.IsCanceled) return drained <= DrainBytes;
        }
        return false;
    }

    private IResult TooLarge() => ApiErrors.Result(StatusCodes.Status413PayloadTooLarge, "payload_too_large",
        $"the request body exceeds the limit of {maxBodyBytes} bytes", retryable: false);

    private static (RunRequest?, IResult?) Parse(ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty) return (null, ApiErrors.InvalidRequest("the request body is empty; an AtomicExecuteRequest JSON object is required"));
        if (body.IsSingleSegment) return Parse(body.FirstSpan);
        // A body in several pipe segments is made contiguous in a rented array: the parser copies what it keeps.
        var rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(rented);
            return Parse(rented.AsSpan(0, (int)body.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static (RunRequest?, IResult?) Parse(ReadOnlySpan<byte> json)
    {
        if (UndecodableStringAt(json) is { } offset)
            return (null, ApiErrors.InvalidRequest(
                $"the request body is not valid JSON: the string at byte {offset + 1} is not Unicode text (bytes that are not UTF-8, or an escaped lone surrogate)"));
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: ParseOptions);
        }
        catch (JsonException e)
        {
            return (null, ApiErrors.InvalidRequest($"the request body is not valid JSON: {Describe(e)}"));
        }
        var errors = new List<SchemaError>();
        if (!Schema.Validate(root, errors))
            return (null, ApiErrors.InvalidRequest("the request does not match the AtomicExecuteRequest schema", errors));
        return (ToRunRequest((JsonObject)root!), null);
    }

    /// <summary>Where a string or property name cannot become a .NET string: raw bytes that are not UTF-8, or a
    /// <c>\ud800</c>-style escape of a lone surrogate. The parser lets both through and fails only when the string is
    /// read (or, in a property name, from the duplicate-key check), which would be anywhere later: validation, a
    /// node's handler, the response. So they are refused first. Syntax errors are left to the parser to describe.</summary>
    private static long? UndecodableStringAt(ReadOnlySpan<byte> json)
    {
        // Fast path: valid UTF-8 without a \uD800-\uDFFF escape cannot hold an undecodable string.
        if (System.Text.Unicode.Utf8.IsValid(json) && !HasSurrogateEscape(json)) return null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ParseOptions.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
                if (!reader.ValueIsEscaped && System.Text.Unicode.Utf8.IsValid(reader.ValueSpan)) continue;
                try { reader.GetString(); }
                catch (InvalidOperationException) { return reader.TokenStartIndex; }
            }
        }
        catch (JsonException) { }
        return null;
    }

    /// <summary>True when the body holds <c>\uD8</c>..<c>\uDF</c> (any case). A <c>\\u</c> may trigger it
    /// falsely, which only costs the careful scan.</summary>
    private static bool HasSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var at = json.IndexOf("\\u"u8);
        while (at >= 0 && at + 3 < json.Length)
        {
            if (json[at + 2] is (byte)'d' or (byte)'D' && IsSurrogateNibble(json[at + 3])) return true;
            var next = json[(at + 2)..].IndexOf("\\u"u8);
            at = next < 0 ? -1 : at + 2 + next;
        }
        return false;
    }

    private static bool IsSurrogateNibble(byte b) => b is (byte)'8' or (byte)'9' || (b | 0x20) is >= (byte)'a' and <= (byte)'f';

    /// <summary>The parser's own message, minus anything that echoes internals; positions are kept because they help.</summary>
    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        var where = e.BytePositionInLine is { } col ? $" (line {e.LineNumber + 1}, byte {col + 1})" : "";
        return message.TrimEnd('.') + where;
    }

    private static RunRequest ToRunRequest(JsonObject root)
    {
        // The parts a run keeps are detached from the request's tree, so the rest of it dies young instead of living
        // (and being promoted) as long as the run.
        var nodeTypeRef = Detach(root, "node_type_ref")!;
        var budgets = root["constraints"] is JsonObject constraints ? Detach(constraints, "budgets") : null;
        return new RunRequest
        {
            NodeRunId = root["node_run_id"]!.GetValue<string>(),
            RunId = root["run_id"]!.GetValue<string>(),
            NodeTypeRef = nodeTypeRef,
            NodeTypeId = nodeTypeRef["node_type_id"]!.GetValue<string>(),
            NodeTypeVersion = nodeTypeRef["version"]!.GetValue<string>(),
            Inputs = Detach(root, "inputs")!,
            Budgets = budgets,
            MaxWallTime = WallTime(budgets?["max_wall_time_ms"]),
            Trace = TraceOf(root["run_context"]?["trace"] as JsonObject),
        };
    }

    private static JsonObject? Detach(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child) return null;
        parent.Remove(name);
        return child;
    }

    private static TimeSpan? WallTime(JsonNode? ms)
    {
        // Beyond what a TimeSpan holds, the caller's budget cannot be the smaller one: the default applies.
        if (ms is null || !ms.GetValue<JsonElement>().TryGetDouble(out var value) || value >= TimeSpan.MaxValue.TotalMilliseconds / 2)
            return null;
        return TimeSpan.FromMilliseconds(value);
    }

    private static ActivityContext TraceOf(JsonObject? trace)
    {
        var traceId = trace?["trace_id"]?.GetValue<string>();
        var spanId = trace?["span_id"]?.GetValue<string>();
        if (traceId is not { Length: 32 } || spanId is not { Length: 16 } || !IsHex(traceId) || !IsHex(spanId)) return default;
        return new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateFromString(spanId),
            ActivityTraceFlags.Recorded, isRemote: true);
    }

    private static bool IsHex(string s) => s.All(char.IsAsciiHexDigitLower) && s.Any(c => c != '0');

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        var type = media.MediaType.Value ?? "";
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                   (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        return json && IsUtf8(media.Charset);
    }

    /// <summary>HTTP makes <c>charset="utf-8"</c> (quoted-string, quoted-pairs included) the same parameter as
    /// <c>charset=utf-8</c>; the parser hands the value back as written, quotes and all.</summary>
    private static bool IsUtf8(StringSegment charset)
    {
        if (!charset.HasValue) return true;
        var value = HeaderUtilities.IsQuoted(charset) ? HeaderUtilities.UnescapeAsQuotedString(charset) : charset;
        return value.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || value.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}
