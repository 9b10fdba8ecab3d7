namespace Sentiment.Model.Topics;

/// <summary>The topic folder cannot be used; the message names the file at fault and what is wrong with it.</summary>
public sealed class TopicModelException : Exception
{
    public TopicModelException(string filePath, string problem, Exception? innerException = null)
        : base($"Topic model file '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
    }

    public TopicModelException()
    {
        FilePath = string.Empty;
    }

    public TopicModelException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    public TopicModelException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    public string FilePath { get; }
}
