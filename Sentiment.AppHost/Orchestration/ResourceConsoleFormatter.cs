using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Sentiment.AppHost.Orchestration;

/// <summary>
/// Writes <c>name | line</c>: the child's resource or replica name for its output, <c>apphost</c> for the host's own
/// messages, so that interleaved output stays readable.
/// </summary>
internal sealed class ResourceConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "resource";
    public const string HostCategory = "apphost";
    private const int PrefixWidth = 10;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var prefix = logEntry.Category.StartsWith("Microsoft.", StringComparison.Ordinal) ? HostCategory : logEntry.Category;
        var level = logEntry.LogLevel switch
        {
            LogLevel.Warning => "warn: ",
            LogLevel.Error or LogLevel.Critical => "fail: ",
            _ => "",
        };
        textWriter.Write(prefix.PadRight(PrefixWidth));
        textWriter.Write(" | ");
        textWriter.Write(level);
        textWriter.WriteLine(message);
        if (logEntry.Exception is { } exception)
        {
            foreach (var line in exception.ToString().Split('\n'))
            {
                textWriter.Write(prefix.PadRight(PrefixWidth));
                textWriter.Write(" | ");
                textWriter.WriteLine(line.TrimEnd('\r'));
            }
        }
    }
}
