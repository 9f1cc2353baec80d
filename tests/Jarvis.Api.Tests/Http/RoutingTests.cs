using System.Net;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>Unknown routes are 404 and known routes with the wrong method 405, each an ErrorEnvelope.</summary>
public sealed class RoutingTests
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/v1")]
    [InlineData("GET", "/v1/nothing-here")]
    [InlineData("GET", "/v2/health")]
    [InlineData("POST", "/v1/atomic-node-runs/x:frobnicate")]
    [InlineData("POST", "/v1/atomic-node-runs:frobnicate")]
    [InlineData("POST", "/v1/atomic-node-runs/x")]
    [InlineData("POST", "/v1/atomic-node-runs/x:cancel/extra")]
    public async Task Unknown_route_is_404_not_found(string method, string path)
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var error = await HttpAssert.ErrorAsync(response, HttpStatusCode.NotFound, "not_found");
        Assert.Contains(path.Split(':')[0], error["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/v1/atomic-node-runs:execute")]
    [InlineData("PUT", "/v1/atomic-node-runs:execute")]
    [InlineData("DELETE", "/v1/atomic-node-runs:execute")]
    [InlineData("GET", "/v1/atomic-node-runs/x:cancel")]
    [InlineData("POST", "/v1/health")]
    [InlineData("DELETE", "/v1/version")]
    [InlineData("POST", "/v1/node-types")]
    public async Task Known_route_with_wrong_method_is_405(string method, string path)
    {
        await using var server = await ExecutorServer.StartAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        var response = await server.Client.SendAsync(request);
        await HttpAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Theory]
    [InlineData("/v1/health")]
    [InlineData("/v1/version")]
    public async Task Head_on_health_and_version_is_200_without_a_body(string path)
    {
        await using var server = await ExecutorServer.StartAsync();
        var response = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
