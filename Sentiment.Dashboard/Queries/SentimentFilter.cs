using Sentiment.Contracts;

namespace Sentiment.Dashboard.Queries;

/// <summary>
/// Which stored results a view or an API call is about. Every part is optional; parts combine with AND.
/// <see cref="From"/> and <see cref="To"/> bound the feedback's own time (the <c>timestamp</c> column), half-open:
/// From ≤ timestamp &lt; To.
/// </summary>
/// <param name="Text">Case-insensitive substring of the message text (the API's <c>q</c>).</param>
public sealed record SentimentFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Source = null,
    string? Label = null,
    string? Topic = null,
    string? Text = null)
{
    /// <summary>The labels a result can have, in display order.</summary>
    public static readonly IReadOnlyList<string> Labels = SentimentLabels.DisplayOrder;

    /// <summary>Shortest text search: the trigram index cannot serve fewer than 3 characters.</summary>
    public const int MinTextLength = 3;

    public const int MaxTextLength = 200;

    // Column widths of sentiment_analysis: a longer value can never match.
    public const int MaxSourceLength = 50;
    public const int MaxTopicLength = 100;

    public static SentimentFilter None { get; } = new();

    /// <summary>The last <paramref name="window"/> up to now, optionally for one source.</summary>
    public static SentimentFilter Last(TimeSpan window, TimeProvider time, string? source = null)
    {
        var now = time.GetUtcNow();
        return new SentimentFilter(From: now - window, To: null, Source: source);
    }

    /// <summary>
    /// What is wrong with this filter, by field name (the API's parameter names, <see cref="FilterFields"/>);
    /// empty when it is valid.
    /// </summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (From is { } from && To is { } to && from >= to)
        {
            errors[FilterFields.To] = ["'to' must be later than 'from'."];
        }

        if (Source is not null && (Source.Length == 0 || Source.Length > MaxSourceLength))
        {
            errors[FilterFields.Source] = [$"'source' must be 1 to {MaxSourceLength} characters."];
        }
        else if (HasNul(Source))
        {
            errors[FilterFields.Source] = [NulMessage(FilterFields.Source)];
        }

        if (Label is not null && !Labels.Contains(Label, StringComparer.Ordinal))
        {
            errors[FilterFields.Label] = ["'label' must be one of positive, neutral, negative."];
        }

        if (Topic is not null && (Topic.Length == 0 || Topic.Length > MaxTopicLength))
        {
            errors[FilterFields.Topic] = [$"'topic' must be 1 to {MaxTopicLength} characters."];
        }
        else if (HasNul(Topic))
        {
            errors[FilterFields.Topic] = [NulMessage(FilterFields.Topic)];
        }

        if (Text is not null && (Text.Trim().Length < MinTextLength || Text.Length > MaxTextLength))
        {
            errors[FilterFields.Text] = [$"'q' must be {MinTextLength} to {MaxTextLength} characters (spaces at either end not counted)."];
        }
        else if (HasNul(Text))
        {
            errors[FilterFields.Text] = [NulMessage(FilterFields.Text)];
        }

        return errors;
    }

    /// <summary>
    /// PostgreSQL text cannot hold NUL (it refuses the parameter), and nothing stored contains one: ingest refuses it.
    /// </summary>
    public static bool HasNul(string? value) => value?.Contains('\0', StringComparison.Ordinal) == true;

    private static string NulMessage(string field) => $"'{field}' must not contain NUL (%00) characters.";

    /// <exception cref="ArgumentException">The filter is not valid; the message names each bad field.</exception>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(
                "Invalid filter: " + string.Join(" ", errors.SelectMany(error => error.Value)), nameof(SentimentFilter));
        }
    }
}

/// <summary>The names <see cref="SentimentFilter.Validate"/> reports errors under: the read API's query parameters.</summary>
public static class FilterFields
{
    public const string From = "from";
    public const string To = "to";
    public const string Source = "source";
    public const string Label = "label";
    public const string Topic = "topic";
    public const string Text = "q";
}
