using System.Net;
using System.Net.Sockets;
using System.Text;
using Jarvis.NodePacks.Sdk;
using Jarvis.Tests.Shared;
using Microsoft.AspNetCore.Http;

namespace Jarvis.NodePacks.Tests.Web;

/// <summary>Exchanges that go wrong on the wire, and answers that only look too large, against loopback servers
/// that are explicitly allowed.</summary>
public sealed class WebFetchFailureTests
{
    private static readonly EgressPolicy AllowLoopback = Fetch.Allowing("127.0.0.1");

    [Fact]
    public async Task Nothing_listening_on_an_allowed_port_is_a_retryable_fetch_failed()
    {
        var port = FreeLoopbackPort();

        var failure = await Fetch.FailsAsync(AllowLoopback, Fetch.Inputs($"http://127.0.0.1:{port}/"), "fetch_failed");

        Assert.True(failure.Retryable);
    }

    [Fact]
    public async Task A_body_that_ends_before_its_Content_Length_is_a_retryable_fetch_failed()
    {
        // A raw socket server on 127.0.0.1: headers promising 10 000 bytes, 100 bytes, then an orderly close.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[8192];
            var received = "";
            while (!received.Contains("\r\n\r\n"))
            {
                var read = await stream.ReadAsync(request);
                if (read == 0) return;
                received += Encoding.ASCII.GetString(request, 0, read);
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + new string('x', 100)));
            await stream.FlushAsync();
            client.Client.Shutdown(SocketShutdown.Send);
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var failure = await Fetch.FailsAsync(AllowLoopback, Fetch.Inputs($"http://127.0.0.1:{port}/"), "fetch_failed");

        Assert.True(failure.Retryable);
        await serving.WaitAsync(Fetch.Generous);
    }

    [Fact]
    public async Task HEAD_of_a_resource_larger_than_max_bytes_is_answered_since_no_body_comes()
    {
        await using var server = await LoopbackServer.StartAsync("127.0.0.1", (context, _) =>
        {
            context.Response.ContentLength = 5_000;
            return Task.CompletedTask;
        });

        var outputs = await Fetch.RunAsync(AllowLoopback, Fetch.Inputs(server.Url("/big"), """{"method": "HEAD", "max_bytes": 1000}"""));

        Assert.Equal(200, outputs["status_code"]!.GetValue<int>());
        Assert.Equal(0, outputs["content_bytes"]!.GetValue<int>());
        Assert.Equal(["5000"], Fetch.Header(outputs, "Content-Length"));
        Assert.Equal("HEAD", server.Requests.Single().Method);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
