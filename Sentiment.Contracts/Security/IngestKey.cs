using System.Text.Json;
using System.Text.Json.Serialization;
using Sentiment.Contracts.Messaging;

namespace Sentiment.Contracts.Security;

/// <summary>
/// An ingest API key as stored in Redis (<see cref="StoreKey"/>, one hash field per key, named by the key's SHA-256):
/// everything about it except the key itself. Written by <c>sentiment keys</c>, read by ingest.
/// </summary>
/// <param name="Id">Short id that names the key in listings and revocations; not secret.</param>
/// <param name="Name">Who or what uses it, e.g. the connector's name.</param>
/// <param name="Sources">The sources it may post to, or <see cref="AllSources"/> alone for any.</param>
/// <param name="CreatedAt">When it was created, in UTC.</param>
public sealed record IngestKey(string Id, string Name, IReadOnlyList<string> Sources, DateTimeOffset CreatedAt)
{
    /// <summary>The Redis hash holding every key created with the CLI.</summary>
    public const string StoreKey = "sentiment:ingest-keys";

    /// <summary>The one entry of <see cref="Sources"/> that allows every source.</summary>
    public const string AllSources = "*";

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public bool MayPostTo(string source) => Sources.Contains(AllSources) || Sources.Contains(source, StringComparer.Ordinal);

    /// <summary>
    /// What is wrong with a list of sources, or null: it names <see cref="AllSources"/> alone, or only sources that
    /// ingest would accept in a message.
    /// </summary>
    public static string? CheckSources(IReadOnlyCollection<string> sources)
    {
        if (sources.Count == 0)
        {
            return "name at least one source, or * for every source";
        }

        if (sources.Contains(AllSources))
        {
            return sources.Count == 1 ? null : "* already allows every source; name it alone";
        }

        var bad = sources.FirstOrDefault(source => FeedbackRules.SourceError(source) is not null);
        return bad is null ? null : $"'{bad}' is not a source name: {FeedbackRules.SourceError(bad)}";
    }

    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);

    /// <summary>Reads a stored entry; null if it is not one (a field someone wrote by hand).</summary>
    public static IngestKey? FromJson(string json)
    {
        try
        {
            var key = JsonSerializer.Deserialize<IngestKey>(json, SerializerOptions);
            return key is { Id: not null, Name: not null, Sources: not null } ? key : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
