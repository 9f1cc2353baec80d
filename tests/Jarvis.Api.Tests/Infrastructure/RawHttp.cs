using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>An HTTP/1.1 exchange over a bare loopback socket, for requests HttpClient refuses to send
/// (lying Content-Length, half-closed connections).</summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Sends <paramref name="head"/> (request line and headers, CRLF-terminated, without the blank line)
    /// and <paramref name="body"/>; optionally closes the write side; then reads one response.
    /// Returns null when the server closed the connection without answering.</summary>
    public static async Task<Response?> SendAsync(Uri server, string head, byte[] body, bool closeWriteSide, TimeSpan timeout)
    {
        Assert.True(IPAddress.Parse(server.Host).Equals(IPAddress.Loopback), "raw requests go to 127.0.0.1 only");
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), cts.Token);
        var bytes = Encoding.ASCII.GetBytes(head + "\r\n").Concat(body).ToArray();
        await socket.SendAsync(bytes, SocketFlags.None, cts.Token);
        if (closeWriteSide) socket.Shutdown(SocketShutdown.Send);
        return await ReadResponseAsync(socket, cts.Token);
    }

    /// <summary>Sends <paramref name="head"/>, which must announce a body and carry <c>Expect: 100-continue</c>, waits
    /// for the server's <c>100 Continue</c> (sent once the application is waiting for body bytes), then resets the
    /// connection (RST, not FIN) without sending any body: a client that crashes mid-request, at a known point.</summary>
    public static async Task ResetAfterContinueAsync(Uri server, string head, TimeSpan timeout)
    {
        Assert.True(IPAddress.Parse(server.Host).Equals(IPAddress.Loopback), "raw requests go to 127.0.0.1 only");
        Assert.Contains("Expect: 100-continue", head, StringComparison.OrdinalIgnoreCase);
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), cts.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(head + "\r\n"), SocketFlags.None, cts.Token);
        var received = new List<byte>();
        var buffer = new byte[1024];
        while (!Encoding.ASCII.GetString(received.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            Assert.True(n > 0, $"the server closed the connection instead of asking for the body: {Encoding.ASCII.GetString(received.ToArray())}");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        var interim = Encoding.ASCII.GetString(received.ToArray());
        Assert.True(interim.StartsWith("HTTP/1.1 100 ", StringComparison.Ordinal), $"expected 100 Continue, got {interim}");
        socket.LingerState = new LingerOption(true, 0); // close with RST
        socket.Close();
    }

    private static async Task<Response?> ReadResponseAsync(Socket socket, CancellationToken cancellation)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        while (true)
        {
            if (TryParse(received.ToArray(), out var response)) return response;
            int n;
            try { n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation); }
            catch (SocketException) { n = 0; } // reset by the server: treat as closed
            if (n == 0)
            {
                Assert.True(received.Count == 0, $"connection closed mid-response: {Encoding.UTF8.GetString(received.ToArray())}");
                return null;
            }
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    private static bool TryParse(byte[] data, out Response? response)
    {
        response = null;
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var bodyStart = Encoding.UTF8.GetByteCount(text[..(end + 4)]);
        var rest = data.AsSpan(bodyStart);
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDechunk(rest, out var dechunked)) return false;
            response = new Response(status, headers, Encoding.UTF8.GetString(dechunked));
            return true;
        }
        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl) : 0;
        if (rest.Length < length) return false;
        response = new Response(status, headers, Encoding.UTF8.GetString(rest[..length]));
        return true;
    }

    private static bool TryDechunk(ReadOnlySpan<byte> data, out byte[] body)
    {
        var output = new List<byte>();
        body = [];
        while (true)
        {
            var lineEnd = data.IndexOf("\r\n"u8);
            if (lineEnd < 0) return false;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(data[..lineEnd]).Split(';')[0].Trim(), 16);
            data = data[(lineEnd + 2)..];
            if (size == 0)
            {
                body = output.ToArray();
                return true; // trailers are not used by the executor
            }
            if (data.Length < size + 2) return false;
            output.AddRange(data[..size].ToArray());
            data = data[(size + 2)..];
        }
    }

    /// <summary>POSTs a whole request in one write, so the server has every byte before it answers. (HttpClient sends
    /// the body after the headers; a server that answers 413 from the headers and closes may then reset the connection
    /// under the client's feet, which is legal HTTP but makes the client throw.)</summary>
    public static Task<Response?> PostAsync(Uri server, string path, string contentType, byte[] body, TimeSpan timeout) =>
        SendAsync(server, Head(server, $"POST {path} HTTP/1.1", $"Content-Type: {contentType}", $"Content-Length: {body.Length}"),
            body, closeWriteSide: false, timeout);

    public static string Head(Uri server, string requestLine, params string[] headers) =>
        string.Join("", new[] { requestLine, $"Host: 127.0.0.1:{server.Port}" }.Concat(headers).Select(h => h + "\r\n"));
}
