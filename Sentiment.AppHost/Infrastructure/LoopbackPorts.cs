using System.Net;
using System.Net.Sockets;

namespace Sentiment.AppHost.Infrastructure;

/// <summary>TCP ports on 127.0.0.1, where every resource listens.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the system says is free now. Another process could take it before it is used; that is rare.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether a server could listen on <paramref name="port"/> now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);

            // As Kestrel, redis-server and PostgreSQL do: a port whose last connections linger in TIME_WAIT is free
            // for them, while one with a listener is not.
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
