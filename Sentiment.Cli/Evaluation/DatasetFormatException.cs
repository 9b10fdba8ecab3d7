namespace Sentiment.Cli.Evaluation;

/// <summary>A labelled data file that cannot be used; the message names the file and, where there is one, the line.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string path, int? lineNumber, string problem)
        : base(lineNumber is { } line ? $"{path}, line {line}: {problem}" : $"{path}: {problem}")
    {
        Path = path;
        LineNumber = lineNumber;
    }

    public DatasetFormatException()
    {
        Path = string.Empty;
    }

    public DatasetFormatException(string message)
        : base(message)
    {
        Path = string.Empty;
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
    }

    public string Path { get; }

    public int? LineNumber { get; }
}
