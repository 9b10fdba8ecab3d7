using System.Net;
using System.Net.Sockets;

namespace Sentiment.Tests.Support;

/// <summary>TCP ports on 127.0.0.1 for the test's own servers.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the system says is free now. Another process could take it before it is used; that is rare.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A Redis connection string to a free port, where nothing answers: Redis down.</summary>
    public static string UnreachableRedis() => $"127.0.0.1:{GetFree()},password=unused,connectTimeout=500";
}
