namespace Sentiment.Model.Classification;

/// <summary>The model folder cannot be used; <see cref="FilePath"/> names the file (or folder) at fault.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string filePath, string problem, Exception? innerException = null)
        : base($"Sentiment model file '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
    }

    public ModelLoadException()
    {
        FilePath = string.Empty;
    }

    public ModelLoadException(string message)
        : base(message)
    {
        FilePath = string.Empty;
    }

    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        FilePath = string.Empty;
    }

    public string FilePath { get; }
}
