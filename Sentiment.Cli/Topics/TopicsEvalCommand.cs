using System.CommandLine;
using System.Globalization;
using Sentiment.Cli.Evaluation;
using Sentiment.Model.Topics;

namespace Sentiment.Cli.Topics;

/// <summary><c>sentiment topics-eval --data &lt;file.tsv&gt;</c>: per-topic recall and, last, <c>accuracy=… n=…</c>.</summary>
public static class TopicsEvalCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Topic-labelled TSV file with the header 'topic<TAB>sentiment<TAB>text'.",
            Required = true,
            HelpName = "file.tsv",
        };
        var topics = new Option<string>("--topics")
        {
            Description = "Topic folder (topics.json, stopwords.txt, vectors.bin). Default: the one shipped beside the tool.",
            DefaultValueFactory = _ => new TopicOptions().Path,
            HelpName = "folder",
        };
        var showErrors = new Option<bool>("--show-errors")
        {
            Description = "Also list each mis-tagged message with its line number, expected and predicted topic.",
        };

        var command = new Command("topics-eval", "Evaluate topic tagging on a labelled TSV file. The last line is: accuracy=… n=…")
        {
            data,
            topics,
            showErrors,
        };
        command.SetAction(parseResult =>
        {
            var folder = parseResult.GetResult(topics) is { Implicit: false }
                ? Path.GetFullPath(parseResult.GetValue(topics)!)
                : new TopicOptions().ResolvePath();
            return Run(parseResult, folder, parseResult.GetValue(data)!, parseResult.GetValue(showErrors));
        });
        return command;
    }

    private static int Run(ParseResult parseResult, string topicFolder, string dataPath, bool showErrors)
    {
        TopicTagger tagger;
        try
        {
            tagger = TopicTagger.Load(topicFolder);
        }
        catch (TopicModelException e)
        {
            return ModelArguments.Fail(parseResult, e.Message);
        }

        TopicDataset dataset;
        try
        {
            dataset = TopicDataset.Read(dataPath, tagger.Topics as IReadOnlyCollection<string> ?? [.. tagger.Topics]);
        }
        catch (DatasetFormatException e)
        {
            return ModelArguments.Fail(parseResult, e.Message);
        }
        catch (IOException e)
        {
            return ModelArguments.Fail(parseResult, $"{dataPath}: {e.Message}");
        }

        var output = parseResult.InvocationConfiguration.Output;
        var predicted = dataset.Examples.Select(example => tagger.Tag(example.Text).Topic).ToList();
        output.WriteLine($"topics: {topicFolder}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data:   {dataset.Path} ({dataset.Count} messages)"));
        output.WriteLine();
        if (showErrors)
        {
            for (var i = 0; i < dataset.Count; i++)
            {
                var example = dataset.Examples[i];
                if (predicted[i] != example.Topic)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"line {example.LineNumber}: {example.Topic} → {predicted[i]}: {example.Text}"));
                }
            }

            output.WriteLine();
        }

        new TopicReport(tagger.Topics, dataset.Examples, predicted).WriteTo(output);
        return 0;
    }
}
