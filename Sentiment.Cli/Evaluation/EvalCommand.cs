using System.CommandLine;
using System.Globalization;
using Sentiment.Model.Classification;

namespace Sentiment.Cli.Evaluation;

/// <summary><c>sentiment eval --model &lt;folder&gt; --data &lt;file.tsv&gt;</c>: accuracy, macro recall and macro F1 on a labelled file.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var model = ModelArguments.ModelOption();
        var data = new Option<string>("--data")
        {
            Description = "Labelled TSV file with the header 'label<TAB>text' (labels: negative, neutral, positive). A file with only negative and positive is scored as binary.",
            Required = true,
            HelpName = "file.tsv",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Texts per model run.",
            DefaultValueFactory = _ => 64,
        };
        batchSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 4096)
            {
                result.AddError("--batch-size must be between 1 and 4096.");
            }
        });

        var command = new Command("eval", "Evaluate the model on a labelled TSV file. The last line is: accuracy=… macro_recall=… macro_f1=… n=…")
        {
            model,
            data,
            batchSize,
        };
        command.SetAction(parseResult => Run(parseResult, ModelArguments.ModelPath(parseResult, model), parseResult.GetValue(data)!, parseResult.GetValue(batchSize)));
        return command;
    }

    private static int Run(ParseResult parseResult, string modelPath, string dataPath, int batchSize)
    {
        LabelledDataset dataset;
        try
        {
            dataset = LabelledDataset.Read(dataPath);
        }
        catch (DatasetFormatException e)
        {
            return ModelArguments.Fail(parseResult, e.Message);
        }
        catch (IOException e)
        {
            return ModelArguments.Fail(parseResult, $"{dataPath}: {e.Message}");
        }

        OnnxSentimentClassifier classifier;
        try
        {
            classifier = OnnxSentimentClassifier.Create(new ModelOptions { Path = modelPath, MaxBatchSize = batchSize });
        }
        catch (ModelLoadException e)
        {
            return ModelArguments.Fail(parseResult, e.Message);
        }

        using (classifier)
        {
            var report = Evaluator.Evaluate(classifier, dataset, batchSize);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine($"model: {classifier.ModelVersion} ({classifier.Folder.Path})");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data:  {dataset.Path} ({dataset.Count} texts, {(dataset.IsBinary ? "binary: positive iff P(positive) >= P(negative)" : "three classes")})"));
            output.WriteLine();
            report.WriteTo(output);
        }

        return 0;
    }
}
