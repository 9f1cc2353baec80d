using System.Text;
using Jarvis.NodePacks.Web;
using Jarvis.Tests.Shared;
using Microsoft.AspNetCore.Http;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary>Redirects between loopback servers (all explicitly allowed): followed hop by hop, or not at all.</summary>
public sealed class WebFetchRedirectTests
{
    private static readonly Sdk.EgressPolicy AllowLoopback = Fetch.Allowing("127.0.0.1");

    /// <summary>Redirects /start to /end with <paramref name="status"/>; /end answers "end".</summary>
    private static Task<LoopbackServer> StartRedirectingAsync(int status) =>
        LoopbackServer.StartAsync("127.0.0.1", (context, stop) => context.Request.Path == "/start"
            ? Respond.Redirect("/end", status)(context, stop)
            : context.Response.WriteAsync("end", stop));

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_is_followed_to_its_target(int status)
    {
        await using var server = await StartRedirectingAsync(status);

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/start")));

        Assert.Equal(200, outputs["status_code"]!.GetValue<int>());
        Assert.Equal("end", Fetch.Text(outputs));
        Assert.Equal(server.Url("/end").AbsoluteUri, outputs["final_url"]!.GetValue<string>());
        Assert.Equal(["/start", "/end"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task With_follow_redirects_false_the_redirect_itself_is_the_result()
    {
        await using var server = await StartRedirectingAsync(302);

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/start"), """{"follow_redirects": false}"""));

        Assert.Equal(302, outputs["status_code"]!.GetValue<int>());
        Assert.Equal(["/end"], Fetch.Header(outputs, "Location"));
        Assert.Equal(server.Url("/start").AbsoluteUri, outputs["final_url"]!.GetValue<string>());
        Assert.Equal(["/start"], server.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData(303, "POST", "GET", false)]
    [InlineData(302, "POST", "GET", false)]
    [InlineData(301, "POST", "GET", false)]
    [InlineData(307, "POST", "POST", true)]
    [InlineData(308, "POST", "POST", true)]
    [InlineData(303, "PUT", "GET", false)]
    [InlineData(302, "PUT", "PUT", true)]
    public async Task The_next_hop_method_and_body_follow_the_redirect_status(int status, string method, string nextMethod, bool bodyKept)
    {
        await using var server = await StartRedirectingAsync(status);

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/start"), $$"""{"method": "{{method}}", "body": "payload"}"""));

        var (first, second) = (server.Requests[0], server.Requests[1]);
        Assert.Equal((method, "payload"), (first.Method, Encoding.UTF8.GetString(first.Body)));
        Assert.Equal(nextMethod, second.Method);
        Assert.Equal(bodyKept ? "payload" : "", Encoding.UTF8.GetString(second.Body));
    }

    [Fact]
    public async Task Ten_redirects_are_followed_and_the_eleventh_is_too_many()
    {
        // /hop/n redirects to /hop/n-1; /hop/0 answers.
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", (context, stop) =>
        {
            var n = int.Parse(context.Request.Path.Value!["/hop/".Length..]);
            return n == 0 ? context.Response.WriteAsync("arrived", stop) : Respond.Redirect($"/hop/{n - 1}")(context, stop);
        });

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url($"/hop/{WebFetcher.MaxRedirects}")));
        Assert.Equal("arrived", Fetch.Text(outputs));
        Assert.Equal(WebFetcher.MaxRedirects + 1, server.RequestCount);

        var failure = await Fetch.FailsAsync(AllowLoopback, Fetch.Inputs(server.Url($"/hop/{WebFetcher.MaxRedirects + 1}")), "too_many_redirects");
        Assert.False(failure.Retryable);
    }

    [Fact]
    public async Task A_redirect_loop_ends_as_too_many_redirects()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Redirect("/again"));

        await Fetch.FailsAsync(AllowLoopback, Fetch.Inputs(server.Url("/")), "too_many_redirects");

        Assert.Equal(WebFetcher.MaxRedirects + 1, server.RequestCount);
    }

    [Fact]
    public async Task Credentials_headers_follow_a_same_origin_redirect_but_not_a_cross_origin_one()
    {
        await using var other = await LoopbackServer.StartOkAsync("127.0.0.1");
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", (context, stop) => context.Request.Path == "/start"
            ? Respond.Redirect("/elsewhere")(context, stop)
            : Respond.Redirect(other.Url("/landed").AbsoluteUri)(context, stop));

        await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/start"), """
            {"headers": [{"key": "Authorization", "value": "Bearer secret"}, {"key": "Cookie", "value": "s=1"},
                         {"key": "Proxy-Authorization", "value": "Basic eA=="}, {"key": "X-Kept", "value": "yes"}]}
            """));

        var sameOrigin = server.Requests[1];
        Assert.Equal("/elsewhere", sameOrigin.Path);
        Assert.Equal("Bearer secret", sameOrigin.Header("Authorization"));
        Assert.Equal("s=1", sameOrigin.Header("Cookie"));
        var crossOrigin = other.Requests.Single(); // another port is another origin
        Assert.Null(crossOrigin.Header("Authorization"));
        Assert.Null(crossOrigin.Header("Cookie"));
        Assert.Null(crossOrigin.Header("Proxy-Authorization"));
        Assert.Equal("yes", crossOrigin.Header("X-Kept"));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/x")]
    public async Task A_redirect_to_a_scheme_other_than_http_is_egress_denied(string location)
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", Respond.Redirect(location));

        var failure = await Fetch.FailsAsync(AllowLoopback, Fetch.Inputs(server.Url("/")), "egress_denied");

        Assert.Contains("http", failure.Message);
    }
}
