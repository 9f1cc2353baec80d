using System.Net;
using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Sdk;
using Jarvis.Tests.Shared;

namespace Jarvis.NodePacks.Tests.Egress;

/// <summary><see cref="EgressGuard.CreateHandler"/> on its own, without the URL check a fetch does first: the
/// connect-time check alone keeps connections to permitted addresses. The refused destinations are loopback
/// servers the test starts, so a faulty guard would visibly reach them.</summary>
public sealed class GuardedHandlerTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static async Task<HttpResponseMessage> GetAsync(EgressGuard guard, string url)
    {
        using var client = new HttpClient(guard.CreateHandler()) { Timeout = Generous };
        return await client.GetAsync(url);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.1", "localhost")]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("127.0.0.1", "0.0.0.0")]
    public async Task With_no_lists_a_loopback_connection_is_refused(string bound, string urlHost)
    {
        await using var server = await LoopbackServer.StartOkAsync(bound);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(new EgressGuard(new EgressPolicy()), server.UrlWithHost(urlHost)));

        Assert.IsType<EgressDeniedException>(error.InnerException);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task A_connection_to_an_allowed_address_is_made()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");

        using var response = await GetAsync(new EgressGuard(new EgressPolicy { AllowedHosts = ["127.0.0.1"] }), server.Url("/").AbsoluteUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_connection_to_a_loopback_address_other_than_the_allowed_one_is_refused()
    {
        await using var allowed = await LoopbackServer.StartOkAsync("127.0.0.1");
        await using var other = await LoopbackServer.StartOkAsync("127.0.0.2");
        var guard = new EgressGuard(new EgressPolicy { AllowedHosts = ["127.0.0.1"] });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(guard, other.Url("/").AbsoluteUri));

        Assert.IsType<EgressDeniedException>(error.InnerException);
        Assert.Equal(0, other.RequestCount);
    }

    [Fact]
    public async Task A_blocked_address_is_refused_at_connect_time_even_when_allowed()
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");
        var guard = new EgressGuard(new EgressPolicy { AllowedHosts = ["127.0.0.1"], BlockedHosts = ["127.0.0.0/8"] });

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(guard, server.Url("/").AbsoluteUri));

        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Redirects_are_not_followed_by_the_handler()
    {
        await using var target = await LoopbackServer.StartOkAsync("127.0.0.1");
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Redirect(target.Url("/").AbsoluteUri));

        using var response = await GetAsync(new EgressGuard(new EgressPolicy { AllowedHosts = ["127.0.0.1"] }), server.Url("/").AbsoluteUri);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, target.RequestCount);
    }

    [Fact]
    public void The_handler_uses_no_proxy_and_no_cookies()
    {
        using var handler = new EgressGuard(new EgressPolicy()).CreateHandler();

        Assert.False(handler.UseProxy);
        Assert.False(handler.AllowAutoRedirect);
        Assert.False(handler.UseCookies);
        Assert.NotNull(handler.ConnectCallback);
    }
}
