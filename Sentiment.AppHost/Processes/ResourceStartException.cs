namespace Sentiment.AppHost.Processes;

/// <summary>A resource failed to start; <see cref="Exception.Message"/> ends with the process's last output.</summary>
public sealed class ResourceStartException(string reason, string recentOutput)
    : Exception(string.IsNullOrWhiteSpace(recentOutput) ? reason : $"{reason} Its last output:{Environment.NewLine}{recentOutput}")
{
    public string Reason { get; } = reason;
}
