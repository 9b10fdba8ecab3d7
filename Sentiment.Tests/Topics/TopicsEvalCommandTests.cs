using System.Globalization;
using System.Text.RegularExpressions;
using Sentiment.Tests.Cli;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Topics;

public sealed partial class TopicsEvalCommandTests : IDisposable
{
    /// <summary>
    /// The floor for the held-out split (docs/eval/topics-test.tsv, never tuned against): the issue's target.
    /// Measured when the seeds and scoring were last tuned on the dev split: accuracy=0.7765 n=170 (docs/topics.md).
    /// </summary>
    private const double HeldOutAccuracyFloor = 0.75;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Last_line_is_accuracy_and_n()
    {
        var data = _folder.Write("three.tsv", "topic\tsentiment\ttext\nShipping\tnegative\tThe courier lost my parcel\nBilling\tneutral\tWhen is my next invoice due?\nPricing\tpositive\tWhat a bargain, so cheap\n");

        var run = CommandRun.Of("topics-eval", "--data", data, "--topics", ShippedTopics.Folder);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.Equal("accuracy=1.0000 n=3", run.LastLine);
        Assert.Contains(run.OutputLines, line => Regex.IsMatch(line, @"^Shipping\s+1\.0000\s+1\.0000\s+1$"));
        Assert.Contains(run.OutputLines, line => Regex.IsMatch(line, @"^Returns\s+0\.0000\s+0\.0000\s+0$"));
    }

    [Fact]
    public void Mistagged_message_counts_against_accuracy_and_its_topic_recall()
    {
        var data = _folder.Write("one-wrong.tsv", "topic\tsentiment\ttext\nShipping\tnegative\tThe courier lost my parcel\nReturns\tneutral\tI was charged twice on my credit card\n");

        var run = CommandRun.Of("topics-eval", "--data", data, "--topics", ShippedTopics.Folder, "--show-errors");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("accuracy=0.5000 n=2", run.LastLine);
        Assert.Contains("line 3: Returns → Billing: I was charged twice on my credit card", run.OutputLines);
        Assert.Contains(run.OutputLines, line => Regex.IsMatch(line, @"^Returns\s+0\.0000\s+0\.0000\s+1$"));
    }

    [Theory]
    [InlineData("topic\tsentiment\ttext\nShipping\tnegative\tfine\nShiping\tnegative\ttypo in the topic\n", "line 3: unknown topic 'Shiping' (expected one of: Product Features, Customer Service, Pricing, Shipping, Quality, Website, App Experience, Returns, Billing, General Feedback)")]
    [InlineData("topic\tsentiment\ttext\nShipping\tnegative\tfine\nShipping\tnegative\n", "line 3: expected 3 tab-separated columns (topic, sentiment, text), found 2")]
    [InlineData("topic\tsentiment\ttext\nShipping\tangry\tbad sentiment\n", "line 2: unknown sentiment 'angry' (expected negative, neutral or positive)")]
    [InlineData("topic\ttext\nShipping\tfine\n", "line 1: expected the header 'topic<TAB>sentiment<TAB>text', found 'topic\ttext'")]
    [InlineData("topic\tsentiment\ttext\nShipping\tneutral\t   \n", "line 2: empty text")]
    public void Malformed_line_is_an_error_naming_file_and_line_with_no_result_printed(string content, string problem)
    {
        var data = _folder.Write("bad.tsv", content);

        var run = CommandRun.Of("topics-eval", "--data", data, "--topics", ShippedTopics.Folder);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Output);
        Assert.Equal($"error: {data}, {problem}", run.Error.TrimEnd());
    }

    [Fact]
    public void Held_out_set_meets_the_accuracy_target()
    {
        var run = CommandRun.Of("topics-eval", "--data", ShippedTopics.EvalData("topics-test.tsv"), "--topics", ShippedTopics.Folder);

        Assert.Equal(0, run.ExitCode);
        var match = SummaryLine().Match(run.LastLine);
        Assert.True(match.Success, $"unexpected last line: {run.LastLine}");
        Assert.Equal("170", match.Groups["n"].Value);
        var accuracy = double.Parse(match.Groups["accuracy"].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= HeldOutAccuracyFloor, $"held-out accuracy {accuracy} fell below {HeldOutAccuracyFloor}");
    }

    [Fact]
    public void Evaluation_set_has_at_least_300_messages_covering_every_topic_and_sentiment()
    {
        var rows = File.ReadLines(ShippedTopics.EvalData("topics.tsv")).Skip(1).Select(line => line.Split('\t')).ToList();
        var dev = File.ReadLines(ShippedTopics.EvalData("topics-dev.tsv")).Skip(1).ToList();
        var test = File.ReadLines(ShippedTopics.EvalData("topics-test.tsv")).Skip(1).ToList();

        Assert.True(rows.Count >= 300, $"{rows.Count} messages");
        Assert.Equal(ShippedTopics.Tagger.Topics.Order(), rows.Select(row => row[0]).Distinct().Order());
        Assert.Equal(["negative", "neutral", "positive"], rows.Select(row => row[1]).Distinct().Order());
        Assert.Equal(rows.Count, dev.Count + test.Count);
        Assert.Empty(dev.Intersect(test));
    }

    [GeneratedRegex(@"^accuracy=(?<accuracy>[01]\.\d{4}) n=(?<n>\d+)$")]
    private static partial Regex SummaryLine();
}
