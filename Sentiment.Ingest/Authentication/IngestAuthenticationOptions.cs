using System.ComponentModel.DataAnnotations;
using Sentiment.Contracts.Security;

namespace Sentiment.Ingest.Authentication;

/// <summary>
/// The <c>Ingest:Authentication</c> section: keys given in configuration (a deployment's secrets; the local run's
/// generated key), besides the keys created with <c>sentiment keys create</c>, which live in Redis.
/// </summary>
public sealed class IngestAuthenticationOptions : IValidatableObject
{
    public const string SectionName = "Ingest:Authentication";

    public List<ConfiguredIngestKey> Keys { get; set; } = [];

    /// <summary>
    /// How often the keys in Redis are read again: a revoked key stops working within this time. An unknown key makes
    /// ingest look again at most once a second, so a new key works at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StoreRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            var path = $"{SectionName}:Keys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                yield return new ValidationResult($"{path}:Name is required.");
            }

            if (!ApiKeys.IsHash(key.Sha256))
            {
                yield return new ValidationResult($"{path}:Sha256 must be the key's SHA-256 in hex (64 digits), not the key itself.");
            }

            if (IngestKey.CheckSources(key.Sources) is { } problem)
            {
                yield return new ValidationResult($"{path}:Sources: {problem}.");
            }

            if (Keys.Take(i).Any(earlier => string.Equals(earlier.Sha256, key.Sha256, StringComparison.OrdinalIgnoreCase)))
            {
                yield return new ValidationResult($"{path}:Sha256 repeats an earlier key's; each key is given once.");
            }
        }
    }
}

/// <summary>A key given in configuration: its name, its SHA-256 and the sources it may post to.</summary>
public sealed class ConfiguredIngestKey
{
    public string Name { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public List<string> Sources { get; set; } = [];
}
