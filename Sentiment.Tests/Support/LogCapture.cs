using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sentiment.Tests.Support;

/// <summary>
/// A logging provider that keeps each record with its category, level, event id, formatted text, exception, values and
/// the values of its scopes.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CaptureLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CaptureLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<KeyValuePair<string, object?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                values.AddRange(pairs);
            }

            var scopes = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope(
                (scope, target) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scopePairs)
                    {
                        foreach (var (key, value) in scopePairs)
                        {
                            target[key] = value;
                        }
                    }
                },
                scopes);
            owner.Records.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception?.ToString(), values, scopes));
        }
    }
}

public sealed record CapturedLog(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    string? Exception,
    IReadOnlyList<KeyValuePair<string, object?>> Values,
    IReadOnlyDictionary<string, object?> Scopes)
{
    /// <summary>The value of one of the message template's placeholders, or null when it has none of that name.</summary>
    public object? Value(string name) => Values.FirstOrDefault(pair => pair.Key == name).Value;

    /// <summary>Everything the record would put in a log line or a structured log: message, values, scopes and exception.</summary>
    public string AllText => string.Join(
        '\n',
        [Message, Exception ?? "", .. Values.Select(pair => $"{pair.Key}={pair.Value}"), .. Scopes.Select(pair => $"{pair.Key}={pair.Value}")]);
}
