using System.CommandLine;
using Sentiment.Cli.Access;
using Sentiment.Cli.Benchmarks;
using Sentiment.Cli.Chaos;
using Sentiment.Cli.Evaluation;
using Sentiment.Cli.Topics;

namespace Sentiment.Cli;

/// <summary>The <c>sentiment</c> tool: one subcommand per folder.</summary>
public static class SentimentCommandLine
{
    public static RootCommand Create() => new("Sentiment tools: evaluate and benchmark the sentiment model, evaluate and build the topic tagger, manage ingest keys and dashboard passwords, count accepted against stored under a fault.")
    {
        EvalCommand.Create(),
        BenchCommand.Create(),
        TopicsEvalCommand.Create(),
        TopicsBuildCommand.Create(),
        KeysCommand.Create(),
        UsersCommand.Create(),
        ChaosCommand.Create(),
        // `load` (the pipeline load test) is added here by its own folder; it can reuse Load/ (send and count).
    };

    /// <summary>Runs the tool with its output sent to the given writers (the console, or a test's buffers).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
}
