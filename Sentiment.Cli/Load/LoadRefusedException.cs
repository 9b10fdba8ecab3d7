namespace Sentiment.Cli.Load;

/// <summary>The deployment refused the load for a reason that retrying will not change (a bad key, a wrong address).</summary>
public sealed class LoadRefusedException(string message) : Exception(message);
