using System.CommandLine;
using Sentiment.Model.Classification;

namespace Sentiment.Cli;

/// <summary>Options and error reporting the model commands share.</summary>
internal static class ModelArguments
{
    public static Option<string> ModelOption() => new("--model")
    {
        Description = "Model folder (model.onnx, config.json, tokenizer files). Default: the model shipped beside the tool.",
        DefaultValueFactory = _ => new ModelOptions().Path,
        HelpName = "folder",
    };

    /// <summary>
    /// A folder the user typed is relative to the current directory; the default is left for
    /// <see cref="ModelOptions.ResolvePath"/>, which finds the model shipped beside the tool.
    /// </summary>
    public static string ModelPath(ParseResult parseResult, Option<string> option)
    {
        var value = parseResult.GetValue(option)!;
        return parseResult.GetResult(option) is { Implicit: false } ? Path.GetFullPath(value) : value;
    }

    /// <summary>Prints an error the user can act on and returns the exit code for it.</summary>
    public static int Fail(ParseResult parseResult, string message)
    {
        parseResult.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return 1;
    }
}
