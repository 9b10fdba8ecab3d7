using Sentiment.Cli.Evaluation;
using Sentiment.Contracts;

namespace Sentiment.Tests.Cli;

public sealed class LabelledDatasetTests : IDisposable
{
    private readonly Sentiment.Tests.Model.TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Reads_labels_and_texts_in_order()
    {
        var dataset = LabelledDataset.Read(_folder.Write("ok.tsv", "label\ttext\nnegative\tbad\nneutral\tmeh\npositive\tgood\n"));

        Assert.Equal([SentimentLabel.Negative, SentimentLabel.Neutral, SentimentLabel.Positive], dataset.Labels);
        Assert.Equal(["bad", "meh", "good"], dataset.Texts);
        Assert.False(dataset.IsBinary);
    }

    [Theory]
    [InlineData("label\ttext\npositive\tfine\nnegative\ttoo\tmany\n", 3, "expected 2 tab-separated columns (label, text), found 3")]
    [InlineData("label\ttext\npositive\tfine\nnegative no tab\n", 3, "expected 2 tab-separated columns (label, text), found 1")]
    [InlineData("label\ttext\npositive\tfine\npositive\tfine\nPositive\tcapitalised\n", 4, "unknown label 'Positive'")]
    [InlineData("label\ttext\npositive\tfine\nnegative\t   \n", 3, "empty text")]
    [InlineData("text\tlabel\npositive\tfine\n", 1, "expected the header 'label<TAB>text'")]
    [InlineData("", 1, "the file is empty")]
    public void Malformed_line_is_named_by_file_and_number(string content, int line, string problem)
    {
        var path = _folder.Write("bad.tsv", content);

        var error = Assert.Throws<DatasetFormatException>(() => LabelledDataset.Read(path));

        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith($"{path}, line {line}: {problem}", error.Message, StringComparison.Ordinal);
    }
}
