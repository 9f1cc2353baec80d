using System.Net;
using Jarvis.NodePacks.Egress;
using Jarvis.NodePacks.Sdk;
using Jarvis.NodePacks.Web;
using Jarvis.Tests.Shared;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary>The egress guard as <c>jarvis.web.fetch</c> meets it. Every refused destination has a real server
/// listening on it (on loopback), so a faulty guard would visibly reach it: each test asserts the server got
/// nothing.</summary>
public sealed class WebFetchEgressTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", "loopback")]
    [InlineData("127.0.0.1", "localhost", "loopback")]
    [InlineData("127.0.0.1", "0.0.0.0", "unspecified")]          // Linux connects 0.0.0.0 to the local host
    [InlineData("127.0.0.1", "[::ffff:127.0.0.1]", "loopback")]  // the same address spelled as IPv4-mapped IPv6
    [InlineData("127.0.0.1", "2130706433", "loopback")]          // the same address as one decimal number
    [InlineData("127.0.0.2", "127.0.0.2", "loopback")]
    public async Task Loopback_is_refused_when_not_allowed(string bound, string urlHost, string kind)
    {
        await using var server = await LoopbackServer.StartOkAsync(bound);

        var failure = await Fetch.FailsAsync(new EgressPolicy(), Fetch.Inputs(server.UrlWithHost(urlHost, "/secret")), "egress_denied");

        Assert.Contains(kind, failure.Message);
        Assert.False(failure.Retryable);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.1", "localhost")]
    [InlineData("127.0.0.2", "127.0.0.2")]
    public async Task An_explicitly_allowed_loopback_host_is_reached(string bound, string urlHost)
    {
        await using var server = await LoopbackServer.StartOkAsync(bound);

        var outputs = await Fetch.RunAsync(Fetch.Allowing(urlHost), Fetch.Inputs(server.UrlWithHost(urlHost, "/")));

        Assert.Equal("reached", Fetch.Text(outputs));
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData("127.0.0.2", "127.0.0.1")]     // allowing one loopback address does not allow another
    [InlineData("127.0.0.1", "localhost")]     // an address entry does not allow a name for it
    [InlineData("localhost", "127.0.0.1")]     // nor a name entry the address it resolves to
    public async Task A_loopback_host_other_than_the_allowed_one_is_refused(string allowed, string urlHost)
    {
        await using var server = await LoopbackServer.StartOkAsync(urlHost == "127.0.0.2" ? "127.0.0.2" : "127.0.0.1");

        await Fetch.FailsAsync(Fetch.Allowing(allowed), Fetch.Inputs(server.UrlWithHost(urlHost)), "egress_denied");

        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.0/8")]
    public async Task A_blocked_host_is_refused_even_when_allowed(string blocked)
    {
        await using var server = await LoopbackServer.StartOkAsync("127.0.0.1");
        var policy = new EgressPolicy { AllowedHosts = ["127.0.0.1"], BlockedHosts = [blocked] };

        var failure = await Fetch.FailsAsync(policy, Fetch.Inputs(server.Url("/")), "egress_denied");

        Assert.Contains("blocked", failure.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_host_to_one_that_is_not_is_refused_before_any_request_to_it()
    {
        await using var target = await LoopbackServer.StartOkAsync("127.0.0.2");
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Redirect(target.Url("/internal").AbsoluteUri));

        var failure = await Fetch.FailsAsync(Fetch.Allowing("127.0.0.1"), Fetch.Inputs(server.Url("/")), "egress_denied");

        Assert.Contains("127.0.0.2", failure.Message);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(0, target.RequestCount);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_host_to_another_name_of_it_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", (context, stop) => context.Request.Path == "/"
            ? Respond.Redirect($"http://localhost:{context.Connection.LocalPort}/again")(context, stop)
            : Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, "reached", stop));

        await Fetch.FailsAsync(Fetch.Allowing("127.0.0.1"), Fetch.Inputs(server.Url("/")), "egress_denied");

        Assert.Equal(["/"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_host_passing_the_url_check_is_still_refused_at_connect_time_when_its_address_is_not_allowed()
    {
        // With a wildcard in the allow list, the URL check leaves hosts to the connect-time check (the
        // wildcard names no address), which must refuse 127.0.0.2: neither allowed nor public.
        await using var target = await LoopbackServer.StartOkAsync("127.0.0.2");
        var policy = Fetch.Allowing("127.0.0.1", "*.example.invalid");
        new EgressGuard(policy).CheckUrl(target.Url("/")); // the URL check lets it through...

        var failure = await Fetch.FailsAsync(policy, Fetch.Inputs(target.Url("/")), "egress_denied"); // ...the connect check does not

        Assert.Contains("127.0.0.2", failure.Message);
        Assert.Equal(0, target.RequestCount);
    }

    [Fact]
    public async Task A_redirect_passing_the_url_check_is_still_refused_at_connect_time()
    {
        await using var target = await LoopbackServer.StartOkAsync("127.0.0.2");
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Redirect(target.Url("/internal").AbsoluteUri));

        await Fetch.FailsAsync(Fetch.Allowing("127.0.0.1", "*.example.invalid"), Fetch.Inputs(server.Url("/")), "egress_denied");

        Assert.Equal(1, server.RequestCount);
        Assert.Equal(0, target.RequestCount);
    }

    [Fact]
    public async Task A_wildcard_allowed_name_resolving_to_loopback_is_refused_at_connect_time()
    {
        // An injected resolver stands in for DNS: the name is never looked up for real.
        await using var target = await LoopbackServer.StartOkAsync("127.0.0.2");
        var guard = new EgressGuard(Fetch.Allowing("*.example.invalid"), (_, _) => Task.FromResult(new[] { IPAddress.Parse("127.0.0.2") }));

        var failure = await Assert.ThrowsAsync<NodeFailureException>(() => FetchWithAsync(guard, $"http://svc.example.invalid:{target.Port}/"));

        Assert.Equal("egress_denied", failure.Code);
        Assert.Equal(0, target.RequestCount);
    }

    [Fact]
    public async Task An_exact_allowed_name_connects_to_the_address_the_guard_resolved_and_checked()
    {
        // The resolver maps the name to 127.0.0.2, where the only server is: reaching it shows that the
        // connection goes to the checked address rather than to a second, unchecked resolution.
        await using var target = await LoopbackServer.StartOkAsync("127.0.0.2");
        var guard = new EgressGuard(Fetch.Allowing("svc.example.invalid"), (_, _) => Task.FromResult(new[] { IPAddress.Parse("127.0.0.2") }));

        var outputs = await FetchWithAsync(guard, $"http://svc.example.invalid:{target.Port}/");

        Assert.Equal("reached", Fetch.Text(outputs));
        Assert.Equal("svc.example.invalid:" + target.Port, target.Requests.Single().Header("Host"));
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> FetchWithAsync(EgressGuard guard, string url)
    {
        using var client = new HttpClient(guard.CreateHandler());
        var request = FetchRequest.From(Fetch.Inputs(url), guard.Policy);
        return await new WebFetcher(guard, client).FetchAsync(request, CancellationToken.None).AsTask().WaitAsync(Fetch.Generous);
    }
}
