using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sentiment.AppHost.Processes;

namespace Sentiment.AppHost.Orchestration;

/// <summary>Sends each child's lines to a logger named after the resource or replica, which prefixes them.</summary>
internal sealed class LoggerChildOutput(ILoggerFactory loggerFactory) : IChildOutput
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new();

    public void WriteLine(string source, string line)
    {
        var logger = _loggers.GetOrAdd(source, loggerFactory.CreateLogger);

        // The line is the message as it is: not a template, so braces in it stay.
        logger.Log(LogLevel.Information, default, line, null, static (state, _) => state);
    }
}
