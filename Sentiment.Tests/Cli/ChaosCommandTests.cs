namespace Sentiment.Tests.Cli;

/// <summary><c>sentiment chaos</c> refuses bad arguments before it sends anything, naming the option.</summary>
public sealed class ChaosCommandTests
{
    [Theory]
    [InlineData("--messages", "0", "error: --messages must be from 1 to 10,000,000.")]
    [InlineData("--batch-size", "1001", "error: --batch-size must be from 1 to 1,000 (ingest's Ingest:MaxMessagesPerRequest).")]
    [InlineData("--senders", "0", "error: --senders must be from 1 to 64.")]
    [InlineData("--rate", "-1", "error: --rate must be 0 (as fast as possible) or more.")]
    [InlineData("--timeout", "0", "error: --timeout must be more than 0 and at most 86,400 seconds.")]
    [InlineData("--fault-after", "20001", "error: --fault-after must be from 0 to --messages (20000).")]
    [InlineData("--fault", " ", "error: --fault must be a command line, e.g. \"pkill -9 -f Sentiment.Worker\".")]
    [InlineData("--ingest", "localhost:5080", "error: --ingest must be an http:// or https:// address, e.g. http://localhost:5080, not 'localhost:5080'.")]
    [InlineData("--dashboard", "ftp://x", "error: --dashboard must be an http:// or https:// address, e.g. http://localhost:5080, not 'ftp://x'.")]
    public void Bad_option_is_an_error_naming_it(string option, string value, string expected)
    {
        var run = CommandRun.Of("chaos", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(expected, run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Missing_secrets_file_names_the_key_options_and_prints_no_key()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}", "secrets.json");

        var run = CommandRun.Of("chaos", "--secrets", missing, "--read-key", "rk_not_printed");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: give --ingest-key, set SENTIMENT_INGEST_KEY, or point --secrets at the AppHost's secrets.json", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("rk_not_printed", run.Error + run.Output, StringComparison.Ordinal);
    }
}
