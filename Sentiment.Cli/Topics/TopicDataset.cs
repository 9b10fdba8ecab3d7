using Sentiment.Cli.Evaluation;
using Sentiment.Contracts;

namespace Sentiment.Cli.Topics;

/// <summary>A topic-labelled TSV file: header <c>topic&lt;TAB&gt;sentiment&lt;TAB&gt;text</c>, then one message per line.</summary>
public sealed class TopicDataset
{
    private const string Header = "topic\tsentiment\ttext";
    private static readonly IReadOnlyList<string> Sentiments = SentimentLabels.All;

    private TopicDataset(string path, List<TopicExample> examples)
    {
        Path = path;
        Examples = examples;
    }

    public string Path { get; }

    public IReadOnlyList<TopicExample> Examples { get; }

    public int Count => Examples.Count;

    /// <summary>Reads the whole file; the first bad line stops it with a <see cref="DatasetFormatException"/> naming file and line.</summary>
    /// <param name="topics">The topics a line may name (the tagger's catalog).</param>
    public static TopicDataset Read(string path, IReadOnlyCollection<string> topics)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "file not found");
        }

        var examples = new List<TopicExample>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (line != Header)
                {
                    throw new DatasetFormatException(path, lineNumber, $"expected the header 'topic<TAB>sentiment<TAB>text', found '{Shorten(line)}'");
                }

                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != 3)
            {
                throw new DatasetFormatException(path, lineNumber, $"expected 3 tab-separated columns (topic, sentiment, text), found {columns.Length}");
            }

            if (!topics.Contains(columns[0]))
            {
                throw new DatasetFormatException(path, lineNumber, $"unknown topic '{Shorten(columns[0])}' (expected one of: {string.Join(", ", topics)})");
            }

            if (!Sentiments.Contains(columns[1]))
            {
                throw new DatasetFormatException(path, lineNumber, $"unknown sentiment '{Shorten(columns[1])}' (expected negative, neutral or positive)");
            }

            if (string.IsNullOrWhiteSpace(columns[2]))
            {
                throw new DatasetFormatException(path, lineNumber, "empty text");
            }

            examples.Add(new TopicExample(lineNumber, columns[0], columns[1], columns[2]));
        }

        if (lineNumber == 0)
        {
            throw new DatasetFormatException(path, 1, "the file is empty; expected the header 'topic<TAB>sentiment<TAB>text'");
        }

        if (examples.Count == 0)
        {
            throw new DatasetFormatException(path, null, "no labelled lines after the header");
        }

        return new TopicDataset(path, examples);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

public sealed record TopicExample(int LineNumber, string Topic, string Sentiment, string Text);
