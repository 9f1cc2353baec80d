using System.Net;
using System.Text.Json.Nodes;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>Assertions on the executor's answers: status, media type, spec schema and the envelope's shape.</summary>
public static class HttpAssert
{
    /// <summary>Asserts the status and an application/json body; returns the body text.</summary>
    public static async Task<string> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.ContentType()?.MediaType);
        return body;
    }

    /// <summary>Asserts a 200 AtomicExecuteResult that matches the spec schema; returns it.</summary>
    public static async Task<JsonNode> ResultAsync(HttpResponseMessage response, string expectedState)
    {
        var body = await JsonAsync(response, HttpStatusCode.OK);
        await SpecSchemas.AssertValidAsync(SpecSchemas.ExecuteResult, body);
        var result = JsonNode.Parse(body)!;
        Assert.True(expectedState == result["state"]!.GetValue<string>(), $"expected state {expectedState}: {body}");
        return result;
    }

    /// <summary>Asserts a failed AtomicExecuteResult with the given error code; returns its <c>error</c>.</summary>
    public static async Task<JsonNode> FailedAsync(HttpResponseMessage response, string code)
    {
        var result = await ResultAsync(response, "failed");
        Assert.Equal(code, result["error"]!["code"]!.GetValue<string>());
        Assert.Null(result["outputs"]);
        return result["error"]!;
    }

    /// <summary>Asserts an ErrorEnvelope with this status and code, valid against common/error.schema.json,
    /// without anything that looks like a stack trace; returns its <c>error</c>.</summary>
    public static async Task<JsonNode> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await JsonAsync(response, status);
        await SpecSchemas.AssertValidAsync(SpecSchemas.ErrorEnvelope, body);
        AssertNoInternals(body);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        return error;
    }

    /// <summary>The <c>details.errors[]</c> of an invalid_request, each a {path, message} with a JSON path.</summary>
    public static IReadOnlyList<(string Path, string Message)> SchemaErrors(JsonNode error)
    {
        var errors = error["details"]?["errors"]?.AsArray();
        Assert.True(errors is { Count: > 0 }, $"expected details.errors[]: {error.ToJsonString()}");
        var list = errors!.Select(e => (e!["path"]!.GetValue<string>(), e["message"]!.GetValue<string>())).ToList();
        Assert.All(list, e => Assert.StartsWith("$", e.Item1));
        Assert.All(list, e => Assert.False(string.IsNullOrWhiteSpace(e.Item2)));
        return list;
    }

    public static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(".cs:line", body);
    }

    public static void RetryAfter(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Retry-After", out var values), "503 without a Retry-After header");
        Assert.True(int.TryParse(values!.Single(), out var seconds) && seconds > 0, $"Retry-After is not a positive number of seconds: {values!.Single()}");
    }
}
