namespace Sentiment.AppHost.Hosting;

/// <summary>A setting or the build is not what the host needs; the message is one line saying what to change.</summary>
public sealed class AppHostConfigurationException(string message) : Exception(message);
