using CommunityToolkit.HighPerformance.Buffers;
using System.Globalization;
using System.Text.Json;
using Jarvis.Actors.Runs;

namespace Jarvis.Api.Contract;

/// <summary>A 200 AtomicExecuteResult, written straight from the run's result: its outputs are copied as the UTF-8
/// JSON the run actor serialized once, never rebuilt or re-serialized. Optional members that are absent are
/// omitted, never written as null (the schemas reject null).</summary>
public sealed class ExecuteResultResponse(RunResult result) : IResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public async Task ExecuteAsync(HttpContext http)
    {
        // Rented, not allocated: a large result's answer would otherwise be a new large-object-heap array per call.
        using var body = new ArrayPoolBufferWriter<byte>(256 + (result.Outputs?.Length ?? 0));
        using (var writer = new Utf8JsonWriter(body)) Write(writer, result);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = body.WrittenCount;
        await response.BodyWriter.WriteAsync(body.WrittenMemory);
    }

    private static void Write(Utf8JsonWriter writer, RunResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("node_run_id"u8, result.NodeRunId);
        writer.WriteString("state"u8, RunStates.Name(result.State));
        if (result.Outputs is { } outputs)
        {
            writer.WritePropertyName("outputs"u8);
            outputs.WriteTo(writer);
        }
        WriteTimestamp(writer, "started_at"u8, result.StartedAt);
        WriteTimestamp(writer, "ended_at"u8, result.EndedAt);
        if (result.Error is { } error)
        {
            writer.WriteStartObject("error"u8);
            writer.WriteString("code"u8, error.Code);
            writer.WriteString("message"u8, error.Message);
            if (error.Details is { } details)
            {
                writer.WritePropertyName("details"u8);
                details.WriteTo(writer);
            }
            if (error.Retryable is { } retryable) writer.WriteBoolean("retryable"u8, retryable);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset at)
    {
        Span<byte> text = stackalloc byte[32];
        at.UtcDateTime.TryFormat(text, out var length, WireTimestamp.Format, CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..length]);
    }
}
