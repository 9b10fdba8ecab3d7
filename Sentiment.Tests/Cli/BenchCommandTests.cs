using System.Text.RegularExpressions;
using Sentiment.Cli.Benchmarks;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Cli;

/// <summary>Shape of the benchmark's output only; its figures are checked by running it, never by a unit test.</summary>
public partial class BenchCommandTests
{
    [Fact]
    public void Short_run_prints_every_configuration_and_the_summary_line_last()
    {
        var run = CommandRun.Of("bench", "--model", ModelTestPaths.RequireShippedModel(), "--iterations", "1", "--messages", "300");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.Matches(SummaryLine(), run.LastLine);
        foreach (var (threads, batch) in new[] { (1, 1), (1, 32), (1, 256), (2, 1), (2, 32), (2, 256) })
        {
            Assert.Contains(run.OutputLines, line => TableRow().Match(line) is { Success: true } m
                && m.Groups["threads"].Value == threads.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && m.Groups["batch"].Value == batch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Generated_messages_are_deterministic_varied_and_tweet_length()
    {
        var first = TweetCorpus.Generate(500);
        var second = TweetCorpus.Generate(500);

        Assert.Equal(first, second);
        Assert.True(new HashSet<string>(first).Count > 450, "Messages should rarely repeat.");
        Assert.All(first, text => Assert.InRange(text.Length, 10, 280));
        Assert.All(first, text => Assert.DoesNotContain("{", text, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^single_thread_msgs_per_s=\d+ two_thread_msgs_per_s=\d+ p50_ms=\d+\.\d{2} p99_ms=\d+\.\d{2}$")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^\s*(?<threads>\d+)\s+(?<batch>\d+)\s+\d+\s+\d+\.\d{2}\s+\d+$")]
    private static partial Regex TableRow();
}
