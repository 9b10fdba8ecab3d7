using Sentiment.Cli;

namespace Sentiment.Tests.Cli;

/// <summary>One in-process run of the <c>sentiment</c> tool with its output captured.</summary>
public sealed record CommandRun(int ExitCode, string Output, string Error)
{
    public static CommandRun Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = SentimentCommandLine.Run(args, output, error);
        return new CommandRun(exitCode, output.ToString(), error.ToString());
    }

    public string[] OutputLines => Output.TrimEnd('\n', '\r').Split('\n');

    public string LastLine => OutputLines[^1].TrimEnd('\r');
}
