using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>Requests Kestrel itself refuses before any middleware runs (URL or headers too long, unparsable request
/// line). The contract says every non-2xx answer is an ErrorEnvelope; today these come back with an empty body.
/// A node_run_id has no length limit in execute, so a run with a long id can be executed but not canceled.</summary>
public sealed class ServerLimitRejectionTests
{
    private static readonly TimeSpan RawTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Cancel_path_too_long_is_414_with_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();
        var id = new string('x', 20_000);
        await HttpAssert.ResultAsync(await server.Client.ExecuteAsync(ExecuteRequests.Echo("long id", id)), "succeeded");

        var response = await server.Client.CancelAsync(id);

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        await AssertEnvelopeAsync(response.ContentType()?.MediaType, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Headers_too_large_is_431_with_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/health");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('y', 40_000));

        var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await AssertEnvelopeAsync(response.ContentType()?.MediaType, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unparsable_request_line_is_400_with_an_error_envelope()
    {
        await using var server = await ExecutorServer.StartAsync();

        var response = await RawHttp.SendAsync(server.BaseAddress, "GARBAGE\r\n", [], closeWriteSide: false, RawTimeout);

        Assert.NotNull(response);
        Assert.Equal(400, response.Status);
        await AssertEnvelopeAsync(response.Headers.TryGetValue("Content-Type", out var type) ? type.Split(';')[0] : null, response.Body);
    }

    private static async Task AssertEnvelopeAsync(string? mediaType, string body)
    {
        Assert.True(mediaType == "application/json", $"expected an application/json ErrorEnvelope, got Content-Type '{mediaType}' and body '{body}'");
        await SpecSchemas.AssertValidAsync(SpecSchemas.ErrorEnvelope, body);
    }
}
