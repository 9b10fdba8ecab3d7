using Sentiment.Contracts;

namespace Sentiment.Cli.Evaluation;

/// <summary>A labelled TSV file: header <c>label&lt;TAB&gt;text</c>, then one labelled text per line.</summary>
public sealed class LabelledDataset
{
    private const string Header = "label\ttext";

    private LabelledDataset(string path, List<SentimentLabel> labels, List<string> texts)
    {
        Path = path;
        Labels = labels;
        Texts = texts;
        foreach (var label in labels)
        {
            if (label == SentimentLabel.Neutral)
            {
                return;
            }
        }

        IsBinary = true;
    }

    public string Path { get; }

    public IReadOnlyList<SentimentLabel> Labels { get; }

    public IReadOnlyList<string> Texts { get; }

    /// <summary>True when the file holds only negative and positive labels: it is then scored as a binary task.</summary>
    public bool IsBinary { get; }

    public int Count => Texts.Count;

    /// <summary>Reads the whole file; the first bad line stops it with a <see cref="DatasetFormatException"/> naming file and line.</summary>
    public static LabelledDataset Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "file not found");
        }

        var labels = new List<SentimentLabel>();
        var texts = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (line != Header)
                {
                    throw new DatasetFormatException(path, lineNumber, $"expected the header 'label<TAB>text', found '{Shorten(line)}'");
                }

                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var columns = tab < 0 ? 1 : line.AsSpan().Count('\t') + 1;
            if (columns != 2)
            {
                throw new DatasetFormatException(path, lineNumber, $"expected 2 tab-separated columns (label, text), found {columns}");
            }

            if (!SentimentLabels.TryParse(line[..tab], out var label))
            {
                throw new DatasetFormatException(
                    path, lineNumber, $"unknown label '{Shorten(line[..tab])}' (expected {SentimentLabels.Negative}, {SentimentLabels.Neutral} or {SentimentLabels.Positive})");
            }

            var text = line[(tab + 1)..];
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new DatasetFormatException(path, lineNumber, "empty text");
            }

            labels.Add(label);
            texts.Add(text);
        }

        if (lineNumber == 0)
        {
            throw new DatasetFormatException(path, 1, "the file is empty; expected the header 'label<TAB>text'");
        }

        if (texts.Count == 0)
        {
            throw new DatasetFormatException(path, null, "no labelled lines after the header");
        }

        return new LabelledDataset(path, labels, texts);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
