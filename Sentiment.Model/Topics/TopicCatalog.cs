using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sentiment.Model.Topics;

/// <summary>
/// The topics and their seeds, and how messages are scored against them: <c>topics.json</c> in the topic folder.
/// Configuration, not code: a topic is renamed, added or re-seeded by editing that file.
/// </summary>
public sealed class TopicCatalog
{
    public const string FileName = "topics.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The topic a message gets when no other topic's evidence reaches <see cref="TopicScoring.Threshold"/>.</summary>
    [Required]
    public string FallbackTopic { get; set; } = string.Empty;

    [Required]
    public TopicScoring Scoring { get; set; } = new();

    [Required]
    [MinLength(2)]
    public List<TopicDefinition> Topics { get; set; } = [];

    public static TopicCatalog Read(string path)
    {
        TopicCatalog? catalog;
        try
        {
            using var stream = File.OpenRead(path);
            catalog = JsonSerializer.Deserialize<TopicCatalog>(stream, JsonOptions);
        }
        catch (FileNotFoundException e)
        {
            throw new TopicModelException(path, "not found", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new TopicModelException(path, "not found", e);
        }
        catch (JsonException e)
        {
            throw new TopicModelException(path, $"not valid JSON for a topic catalog: {e.Message}", e);
        }

        if (catalog is null)
        {
            throw new TopicModelException(path, "empty (null)");
        }

        var problems = catalog.Validate();
        if (problems.Count > 0)
        {
            throw new TopicModelException(path, string.Join("; ", problems));
        }

        return catalog;
    }

    /// <summary>Every problem with the catalog, each naming the topic or setting at fault; empty when it can be used.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        AddDataAnnotationProblems(this, "", problems);
        AddDataAnnotationProblems(Scoring, "scoring.", problems);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Topics.Count; i++)
        {
            var topic = Topics[i];
            var where = $"topics[{i}]";
            if (topic is null)
            {
                problems.Add($"{where} is null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(topic.Name))
            {
                problems.Add($"{where}.name is empty");
                continue;
            }

            if (topic.Name.Length > 100)
            {
                problems.Add($"{where}.name is longer than 100 characters (the topic column is VARCHAR(100))");
            }

            if (!names.Add(topic.Name))
            {
                problems.Add($"topic '{topic.Name}' is defined twice");
            }

            if (topic.Name != FallbackTopic && topic.Seeds.Count == 0)
            {
                problems.Add($"topic '{topic.Name}' has no seeds");
            }

            foreach (var seed in topic.Seeds)
            {
                var tokens = TopicTokenizer.Tokenize(seed ?? string.Empty);
                if (tokens.Count != 1 || tokens[0] != seed)
                {
                    problems.Add($"topic '{topic.Name}': seed '{seed}' must be one lower-case word (put word sequences in phrases)");
                }
            }

            foreach (var phrase in topic.Phrases)
            {
                if (TopicTokenizer.Tokenize(phrase ?? string.Empty).Count < 2)
                {
                    problems.Add($"topic '{topic.Name}': phrase '{phrase}' must have at least two words");
                }
            }
        }

        if (!string.IsNullOrEmpty(FallbackTopic) && !names.Contains(FallbackTopic))
        {
            problems.Add($"fallbackTopic '{FallbackTopic}' is not one of the topics");
        }

        return problems;
    }

    private static void AddDataAnnotationProblems(object instance, string prefix, List<string> problems)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            foreach (var result in results)
            {
                var member = result.MemberNames.FirstOrDefault() is { } name ? JsonNamingPolicy.CamelCase.ConvertName(name) : "?";
                problems.Add($"{prefix}{member}: {result.ErrorMessage}");
            }
        }
    }
}

/// <summary>One topic: its name (stored as the message's topic) and the words and phrases that define it.</summary>
public sealed class TopicDefinition
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Single lower-case words. A message word counts towards the topic by its vector similarity to these.</summary>
    public List<string> Seeds { get; set; } = [];

    /// <summary>Word sequences that count as literal evidence where they occur ("out for delivery", "money back"), allowing small gaps.</summary>
    public List<string> Phrases { get; set; } = [];
}

/// <summary>How a message's words become topic evidence; see docs/topics.md for the formula.</summary>
public sealed class TopicScoring
{
    /// <summary>Cosine similarity to a topic's seeds below which a word is no evidence for the topic at all.</summary>
    [Range(0.0, 0.99)]
    public double Floor { get; set; } = 0.45;

    /// <summary>A word's similarity to a topic is the mean of its <c>TopK</c> highest similarities to the topic's seeds (a soft maximum).</summary>
    [Range(1, 20)]
    public int TopK { get; set; } = 2;

    /// <summary>A word's weight is idf^IdfExponent: rare words say more about a topic than common ones.</summary>
    [Range(0.0, 4.0)]
    public double IdfExponent { get; set; } = 1.0;

    /// <summary>Evidence a non-fallback topic needs to win; below it the message gets the fallback topic.</summary>
    [Range(0.0, 1000.0)]
    public double Threshold { get; set; } = 1.0;

    /// <summary>Evidence added for each occurrence of one of a topic's phrases.</summary>
    [Range(0.0, 100.0)]
    public double PhraseWeight { get; set; } = 2.0;

    /// <summary>Other words allowed between two consecutive words of a phrase ("sent the jacket back" matches "sent back").</summary>
    [Range(0, 10)]
    public int PhraseGap { get; set; } = 2;

    /// <summary>Softmax temperature over the topics' evidence that turns it into the topic confidence.</summary>
    [Range(0.001, 100.0)]
    public double Temperature { get; set; } = 1.0;
}
