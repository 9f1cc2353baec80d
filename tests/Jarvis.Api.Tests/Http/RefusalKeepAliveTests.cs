using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Jarvis.Api.Tests.Auth;
using Jarvis.Api.Tests.Infrastructure;

namespace Jarvis.Api.Tests.Http;

/// <summary>A refusal the executor answers before it has read the request's body must not cost the caller its next
/// request: a keep-alive client (one connection, as a coordinator's pooled client reuses it) that sends the refused
/// request and then a good one gets both answers, every time. The server either drains the body and keeps the
/// connection, or says <c>Connection: close</c> with the refusal, so the client does not reuse a connection the server
/// is closing. Real executable; each refusal kind is tried many times because losing the follow-up is a race.</summary>
public sealed class RefusalKeepAliveTests
{
    private const int Sequences = 1_000;
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly byte[] OverLimit = Encoding.UTF8.GetBytes(ExecuteRequests.Echo(new string('x', 2 * MaxBodyBytes)));

    [Fact]
    public async Task A_413_for_a_declared_length_over_the_limit_does_not_lose_the_next_request()
    {
        await using var server = await ServingProcess.StartAsync(Settings());
        await AssertNoFollowUpLostAsync(server.Process.BaseAddress, () => Post(Json(new ByteArrayContent(OverLimit))), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_413_for_a_chunked_body_over_the_limit_does_not_lose_the_next_request()
    {
        await using var server = await ServingProcess.StartAsync(Settings());
        await AssertNoFollowUpLostAsync(server.Process.BaseAddress, () =>
        {
            var request = Post(Json(new StreamContent(new MemoryStream(OverLimit))));
            request.Headers.TransferEncodingChunked = true;
            return request;
        }, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_415_with_a_body_unread_does_not_lose_the_next_request()
    {
        await using var server = await ServingProcess.StartAsync(Settings());
        await AssertNoFollowUpLostAsync(server.Process.BaseAddress, () => Post(new ByteArrayContent(OverLimit)
        {
            Headers = { ContentType = new MediaTypeHeaderValue("text/plain") },
        }), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_401_with_a_body_unread_does_not_lose_the_next_request()
    {
        var key = TestSigningKey.NewRsa();
        await using var idp = await TestIdentityProvider.StartAsync(key);
        var settings = Settings();
        foreach (var (name, value) in AuthHttp.Required(idp)) settings[name] = value;
        await using var server = await ServingProcess.StartAsync(settings);
        var token = AuthHttp.Token(idp, key);

        await AssertNoFollowUpLostAsync(server.Process.BaseAddress, () => Post(Json(new ByteArrayContent(OverLimit))),
            HttpStatusCode.Unauthorized, followUpToken: token);
    }

    private static Dictionary<string, string> Settings() => new() { ["JARVIS_MAX_BODY_BYTES"] = MaxBodyBytes.ToString(), ["LOG_LEVEL"] = "warning" };

    private static HttpRequestMessage Post(HttpContent content) => new(HttpMethod.Post, ExecuteRequests.ExecutePath) { Content = content };

    private static HttpContent Json(HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Refused request, then a good echo, <see cref="Sequences"/> times on a client that keeps one connection
    /// alive as long as the server lets it.</summary>
    private static async Task AssertNoFollowUpLostAsync(Uri server, Func<HttpRequestMessage> refused, HttpStatusCode expected,
        string? followUpToken = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var lost = new List<string>();
        for (var i = 0; i < Sequences; i++)
        {
            using (var refusal = await client.SendAsync(refused()))
                Assert.Equal(expected, refusal.StatusCode);
            using var followUp = new HttpRequestMessage(HttpMethod.Post, ExecuteRequests.ExecutePath)
            {
                Content = new StringContent(ExecuteRequests.Echo($"after refusal {i}"), Encoding.UTF8, "application/json"),
            };
            if (followUpToken is not null) followUp.Headers.Authorization = new AuthenticationHeaderValue("Bearer", followUpToken);
            try
            {
                using var answer = await client.SendAsync(followUp);
                if (answer.StatusCode != HttpStatusCode.OK) lost.Add($"#{i}: {(int)answer.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                lost.Add($"#{i}: {e.Message}");
            }
        }
        Assert.True(lost.Count == 0, $"{lost.Count} of {Sequences} follow-up requests were lost: {string.Join("; ", lost.Take(5))}");
    }
}
