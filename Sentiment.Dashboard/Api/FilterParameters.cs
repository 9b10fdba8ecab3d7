using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Sentiment.Contracts.Messaging;
using Sentiment.Dashboard.Queries;

namespace Sentiment.Dashboard.Api;

/// <summary>
/// The filter query parameters of the read API, bound as text so that each bad one is named in the 400 response
/// instead of failing the binding as a whole.
/// </summary>
public sealed class FilterParameters
{
    /// <summary>Earliest feedback time, inclusive: ISO 8601 (UTC when no offset is given).</summary>
    [FromQuery(Name = FilterFields.From)]
    public string? From { get; init; }

    /// <summary>Latest feedback time, exclusive: ISO 8601 (UTC when no offset is given).</summary>
    [FromQuery(Name = FilterFields.To)]
    public string? To { get; init; }

    [FromQuery(Name = FilterFields.Source)]
    public string? Source { get; init; }

    /// <summary>positive, neutral or negative.</summary>
    [FromQuery(Name = FilterFields.Label)]
    public string? Label { get; init; }

    [FromQuery(Name = FilterFields.Topic)]
    public string? Topic { get; init; }

    /// <summary>Text search: a case-insensitive substring of the message, 3 to 200 characters.</summary>
    [FromQuery(Name = FilterFields.Text)]
    public string? Q { get; init; }

    /// <summary>The filter, or null with <paramref name="errors"/> naming each bad parameter.</summary>
    public SentimentFilter? ToFilter(Dictionary<string, string[]> errors)
    {
        var from = ParseInstant(From, FilterFields.From, errors);
        var to = ParseInstant(To, FilterFields.To, errors);
        var filter = new SentimentFilter(from, to, Source, Label, Topic, Q);
        foreach (var (field, messages) in filter.Validate())
        {
            errors.TryAdd(field, messages);
        }

        return errors.Count == 0 ? filter : null;
    }

    public static DateTimeOffset? ParseInstant(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        // Strictly ISO 8601, as in the message contract: a looser parse would read "11/24/2026" in one culture's order.
        if (Iso8601.TryParse(value, out var instant))
        {
            return instant;
        }

        errors[name] = [$"'{name}' must be a date and time in ISO 8601, e.g. 2026-01-31T09:30:00Z."];
        return null;
    }

    /// <summary>An optional whole number in [min, max]; null when absent.</summary>
    public static int? ParseInt(string? value, string name, int min, int max, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors[name] = [$"'{name}' must be a whole number from {min} to {max}."];
        return null;
    }
}
