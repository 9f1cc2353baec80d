using System.Net;
using System.Text;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Conformance;

/// <summary>One answer of each non-2xx status the executor gives, each an ErrorEnvelope valid against
/// common/error.schema.json with Content-Type application/json. (503 shutting_down: see Startup/ShutdownDrainTests.)</summary>
public sealed class ErrorEnvelopeSchemaTests
{
    [Fact]
    public async Task Status_400_is_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.ExecuteAsync("""{"node_run_id": 1}""");
        await HttpAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Status_404_is_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();
        await HttpAssert.ErrorAsync(await server.Client.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Status_405_is_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();
        await HttpAssert.ErrorAsync(await server.Client.GetAsync(ExecuteRequests.ExecutePath), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Status_409_is_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = ExecuteRequests.NewId();
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("a", id)), "succeeded");
        await HttpAssert.ErrorAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("b", id)), HttpStatusCode.Conflict, "node_run_conflict");
    }

    [Fact]
    public async Task Status_413_is_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_BODY_BYTES", "1024"));
        var body = Encoding.UTF8.GetBytes(ExecuteRequests.Echo(new string('x', 4096)));
        var response = await RawHttp.PostAsync(server.BaseAddress, ExecuteRequests.ExecutePath, "application/json", body, TimeSpan.FromSeconds(20));
        Assert.NotNull(response);
        Assert.Equal(413, response.Status);
        Assert.StartsWith("application/json", response.Headers["Content-Type"]);
        await SpecSchemas.AssertValidAsync(SpecSchemas.ErrorEnvelope, response.Body);
        Assert.Contains("\"payload_too_large\"", response.Body);
    }

    [Fact]
    public async Task Status_415_is_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.PostBytesAsync(ExecuteRequests.ExecutePath, Encoding.UTF8.GetBytes(ExecuteRequests.Echo("hi")), "text/plain");
        await HttpAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Status_503_overloaded_is_an_error_envelope_with_retry_after()
    {
        await using var server = await ExecutorServer.StartAsync(("JARVIS_MAX_CONCURRENCY", "1"), ("JARVIS_MAX_QUEUE", "0"));
        var blocker = ExecuteRequests.NewId();
        var running = server.Client.ExecuteAsync(ExecuteRequests.Sleep(30, blocker));
        await server.Client.WaitForRunningAsync(1);

        var response = await server.Client.ExecuteAsync(ExecuteRequests.Echo("hi"));

        var error = await HttpAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "overloaded");
        Assert.True(error["retryable"]!.GetValue<bool>());
        HttpAssert.RetryAfter(response);
        await server.Client.CancelAsync(blocker);
        await HttpAssert.ResultAsync(await running.Within(TimeSpan.FromSeconds(20), "blocker"), "canceled");
    }
}
