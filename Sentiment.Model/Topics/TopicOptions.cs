using System.ComponentModel.DataAnnotations;

namespace Sentiment.Model.Topics;

/// <summary>Where the topic model lives and how many keywords each message keeps. Bound from the <c>Topics</c> section.</summary>
public sealed class TopicOptions
{
    public const string SectionName = "Topics";

    /// <summary>
    /// The topic folder (topics.json, stopwords.txt, vectors.bin). A relative path is looked up under the app's base
    /// directory first (where the build copies models/topics), then under the current directory.
    /// </summary>
    [Required]
    public string Path { get; set; } = "models/topics";

    /// <summary>Most keywords stored per message.</summary>
    [Range(0, 20)]
    public int MaxKeywords { get; set; } = 5;

    /// <summary>Shortest word kept as a keyword; shorter ones are mostly fragments ("ok", "im").</summary>
    [Range(1, 20)]
    public int MinKeywordLength { get; set; } = 3;

    /// <summary>Resolves <see cref="Path"/>: absolute as given; relative against the base directory, then the current directory.</summary>
    public string ResolvePath() => ShippedFolder.Resolve(Path);
}
