using Sentiment.AppHost.Hosting;

namespace Sentiment.AppHost.Orchestration;

/// <summary>A fixed port is taken; the message names the port, the resource and the setting that moves it.</summary>
public sealed class PortInUseException(int port, string resourceName)
    : Exception($"Port {port} on 127.0.0.1, wanted by {resourceName}, is in use: stop what listens there, or choose another port with --{AppHostOptions.PortSetting(resourceName)} <port>.")
{
    public int Port { get; } = port;
}
