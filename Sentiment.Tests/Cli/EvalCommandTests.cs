using System.Text.RegularExpressions;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Cli;

public sealed partial class EvalCommandTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Last_line_gives_accuracy_macro_recall_macro_f1_and_n()
    {
        var data = _folder.Write("three.tsv", "label\ttext\npositive\tI love this phone, it is absolutely wonderful!\nnegative\tThis is the worst service ever, I hate it.\nneutral\tThe store opens at nine on Mondays.\n");

        var run = CommandRun.Of("eval", "--model", ModelTestPaths.RequireShippedModel(), "--data", data);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.Matches(SummaryLine(), run.LastLine);
        Assert.EndsWith(" n=3", run.LastLine, StringComparison.Ordinal);
        Assert.Contains(run.OutputLines, line => line.StartsWith("neutral ", StringComparison.Ordinal));
        Assert.Contains("confusion matrix", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void File_with_only_negative_and_positive_is_scored_binary()
    {
        var data = _folder.Write("binary.tsv", "label\ttext\npositive\tI love this phone, it is absolutely wonderful!\nnegative\tThis is the worst service ever, I hate it.\n");

        var run = CommandRun.Of("eval", "--model", ModelTestPaths.RequireShippedModel(), "--data", data);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("binary: positive iff P(positive) >= P(negative)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(run.OutputLines, line => line.StartsWith("neutral", StringComparison.Ordinal));
        Assert.Equal("accuracy=1.0000 macro_recall=1.0000 macro_f1=1.0000 n=2", run.LastLine);
    }

    [Fact]
    public void Malformed_line_is_an_error_naming_file_and_line_with_no_result_printed()
    {
        var data = _folder.Write("bad.tsv", "label\ttext\npositive\tfine\nneutral\talso fine\npostive\ttypo in the label\nnegative\tnever read\n");

        var run = CommandRun.Of("eval", "--model", ModelTestPaths.RequireShippedModel(), "--data", data);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Equal($"error: {data}, line 4: unknown label 'postive' (expected negative, neutral or positive)", run.Error.TrimEnd());
    }

    [Fact]
    public void Missing_model_is_an_error_naming_the_folder()
    {
        var data = _folder.Write("ok.tsv", "label\ttext\npositive\tfine\n");
        var missing = Path.Combine(_folder.Path, "no-model");

        var run = CommandRun.Of("eval", "--model", missing, "--data", data);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.StartsWith($"error: Sentiment model file '{missing}'", run.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^accuracy=[01]\.\d{4} macro_recall=[01]\.\d{4} macro_f1=[01]\.\d{4} n=\d+$")]
    private static partial Regex SummaryLine();
}
