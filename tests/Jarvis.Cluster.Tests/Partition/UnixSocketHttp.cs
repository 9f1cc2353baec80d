using System.Net.Sockets;

namespace Jarvis.Cluster.Tests.Partition;

/// <summary>HTTP clients that reach nginx (inside the balancer namespace) through a UNIX socket in the test's
/// directory: a socket file is reachable from every network namespace, so the test process itself stays in the root
/// namespace and nothing there needs an address or a route.</summary>
internal static class UnixSocketHttp
{
    /// <summary>A client whose every connection is to <paramref name="socketPath"/>; its own timeout is off (each
    /// request carries its deadline as a cancellation token).</summary>
    public static HttpClient Create(string socketPath, int maxConnections = 64)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellation);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // the host name only fills the Host header; the connect callback decides where the bytes go
        return new HttpClient(handler) { BaseAddress = new Uri("http://executors.test"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>True when something accepts connections on <paramref name="socketPath"/>.</summary>
    public static async Task<bool> AcceptsAsync(string socketPath)
    {
        if (!File.Exists(socketPath)) return false;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), attempt.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
