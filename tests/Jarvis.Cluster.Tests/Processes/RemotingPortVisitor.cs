using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jarvis.Cluster.Tests.Processes;

/// <summary>A raw TCP client of a member's remoting port, for sending it what no member would: junk, a handshake that
/// never finishes, an HTTP request. Disposing closes the connection.</summary>
public sealed class RemotingPortVisitor : IDisposable
{
    private readonly Socket _socket;

    private RemotingPortVisitor(Socket socket) => _socket = socket;

    public static async Task<RemotingPortVisitor> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), bounded.Token);
        return new RemotingPortVisitor(socket);
    }

    /// <summary>Sends <paramref name="bytes"/>; a peer that already closed the connection is not an error here.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        try { await _socket.SendAsync(bytes, SocketFlags.None); }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted) { }
    }

    /// <summary>Reads until the peer closes (or resets) the connection; fails if it is still open after <paramref name="timeout"/>.</summary>
    public async Task<int> ReadUntilClosedAsync(TimeSpan timeout)
    {
        var buffer = new byte[16 * 1024];
        var total = 0;
        var clock = Stopwatch.StartNew();
        using var bounded = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, bounded.Token);
                if (read == 0) return total;
                total += read;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted) { return total; }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the remoting port kept the connection open for {clock.Elapsed.TotalSeconds:0} s after it was sent something it cannot speak");
        }
    }

    public static byte[] Junk(int length)
    {
        var bytes = new byte[length];
        new Random(20261203).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => _socket.Dispose();
}
