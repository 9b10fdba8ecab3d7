using System.Security.Cryptography;
using System.Text;

namespace Sentiment.Contracts.Security;

/// <summary>
/// The API keys of ingest and of the dashboard's read API: random strings that are only ever stored as their SHA-256.
/// A key is 256 bits of randomness, so a plain hash (not a slow password hash) is enough to make a stolen store useless.
/// </summary>
public static class ApiKeys
{
    /// <summary>Prefix of keys that post to ingest, so a leaked one is recognisable (e.g. by secret scanners).</summary>
    public const string IngestPrefix = "snt_ingest_";

    /// <summary>Prefix of keys that read the dashboard's API.</summary>
    public const string ReadPrefix = "snt_read_";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A new key: the prefix and 43 random letters and digits (about 256 bits).</summary>
    public static string Generate(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 43);

    /// <summary>The stored form of <paramref name="key"/>: its SHA-256 in lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Whether <paramref name="text"/> looks like a stored hash (64 hex digits).</summary>
    public static bool IsHash(string? text) =>
        text is { Length: 64 } && text.All(char.IsAsciiHexDigit);
}
