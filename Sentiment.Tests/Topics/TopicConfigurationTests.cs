using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sentiment.Model.Topics;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Topics;

public sealed class TopicConfigurationTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Options_bind_from_the_topics_section()
    {
        using var host = BuildHost(new() { ["Topics:Path"] = ShippedTopics.Folder, ["Topics:MaxKeywords"] = "3" });

        var options = host.Services.GetRequiredService<IOptions<TopicOptions>>().Value;

        Assert.Equal(ShippedTopics.Folder, options.Path);
        Assert.Equal(3, options.MaxKeywords);
        Assert.Equal(3, options.MinKeywordLength);
    }

    [Fact]
    public async Task Bound_max_keywords_limits_the_keywords()
    {
        using var host = BuildHost(new() { ["Topics:Path"] = ShippedTopics.Folder, ["Topics:MaxKeywords"] = "2" });
        await host.StartAsync();

        var assignment = host.Services.GetRequiredService<TopicTagger>().Tag("The courier dumped my parcel in a puddle and the blender inside was rusty");
        await host.StopAsync();

        Assert.Equal(2, assignment.Keywords.Count);
    }

    [Fact]
    public async Task Out_of_range_option_stops_the_start_naming_it()
    {
        using var host = BuildHost(new() { ["Topics:Path"] = ShippedTopics.Folder, ["Topics:MaxKeywords"] = "50" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaxKeywords", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_topic_folder_stops_the_start_naming_it()
    {
        var missing = Path.Combine(_folder.Path, "no-topics");
        using var host = BuildHost(new() { ["Topics:Path"] = missing });

        var error = await Assert.ThrowsAsync<TopicModelException>(() => host.StartAsync());

        Assert.Equal($"Topic model file '{missing}': the topic folder does not exist", error.Message);
    }

    [Fact]
    public void Catalog_problems_are_all_named()
    {
        var folder = CopyShippedFolder();
        File.WriteAllText(Path.Combine(folder, TopicCatalog.FileName), """
            {
              "fallbackTopic": "Other",
              "scoring": { "floor": 1.5 },
              "topics": [
                { "name": "Shipping", "seeds": [ "parcel", "Courier" ] },
                { "name": "Shipping", "seeds": [ "parcel" ], "phrases": [ "late" ] },
                { "name": "Pricing", "seeds": [] }
              ]
            }
            """);

        var error = Assert.Throws<TopicModelException>(() => TopicTagger.Load(folder));

        Assert.Equal(
            $"Topic model file '{Path.Combine(folder, TopicCatalog.FileName)}': "
            + "scoring.floor: The field Floor must be between 0 and 0.99.; "
            + "topic 'Shipping': seed 'Courier' must be one lower-case word (put word sequences in phrases); "
            + "topic 'Shipping' is defined twice; "
            + "topic 'Shipping': phrase 'late' must have at least two words; "
            + "topic 'Pricing' has no seeds; "
            + "fallbackTopic 'Other' is not one of the topics",
            error.Message);
    }

    [Fact]
    public void Seed_without_a_vector_is_an_error_naming_it()
    {
        var folder = CopyShippedFolder();
        var catalogPath = Path.Combine(folder, TopicCatalog.FileName);
        File.WriteAllText(catalogPath, File.ReadAllText(catalogPath).Replace("\"parcel\",", "\"parcel\", \"zzqxparcelz\",", StringComparison.Ordinal));

        var error = Assert.Throws<TopicModelException>(() => TopicTagger.Load(folder));

        Assert.EndsWith("seeds without a word vector (add them and rerun `sentiment topics-build`): zzqxparcelz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_setting_in_the_catalog_is_an_error()
    {
        var folder = CopyShippedFolder();
        var catalogPath = Path.Combine(folder, TopicCatalog.FileName);
        File.WriteAllText(catalogPath, File.ReadAllText(catalogPath).Replace("\"floor\":", "\"flor\": 0.1, \"floor\":", StringComparison.Ordinal));

        var error = Assert.Throws<TopicModelException>(() => TopicTagger.Load(folder));

        Assert.StartsWith($"Topic model file '{catalogPath}': not valid JSON for a topic catalog:", error.Message, StringComparison.Ordinal);
        Assert.Contains("flor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edited_catalog_changes_the_topics_without_code()
    {
        var folder = CopyShippedFolder();
        File.WriteAllText(Path.Combine(folder, TopicCatalog.FileName), """
            {
              "fallbackTopic": "Anything Else",
              "scoring": { "floor": 0.55, "topK": 1, "threshold": 1.0 },
              "topics": [
                { "name": "Food", "seeds": [ "pizza", "soup", "bread" ] },
                { "name": "Anything Else", "seeds": [] }
              ]
            }
            """);
        var tagger = TopicTagger.Load(folder);

        Assert.Equal("Food", tagger.Tag("The lasagne was cold and the salad was wilted").Topic);
        Assert.Equal("Anything Else", tagger.Tag("The courier lost my parcel").Topic);
    }

    private string CopyShippedFolder()
    {
        var folder = Path.Combine(_folder.Path, "topics");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(ShippedTopics.Folder))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddTopicTagging();
        return builder.Build();
    }
}
