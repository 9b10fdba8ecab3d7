using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Sentiment.Model.Topics;

public static class TopicServiceExtensions
{
    /// <summary>
    /// Registers <see cref="TopicOptions"/> (section <c>Topics</c>) and one <see cref="TopicTagger"/> for the process,
    /// loaded while the host starts so a missing file or a bad topics.json stops the start with a message naming it.
    /// </summary>
    public static IHostApplicationBuilder AddTopicTagging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TopicOptions>()
            .BindConfiguration(TopicOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(static services => TopicTagger.Load(services.GetRequiredService<IOptions<TopicOptions>>().Value));
        builder.Services.AddHostedService<TopicTaggerWarmUp>();
        return builder;
    }

    /// <summary>Resolves the tagger during start-up, so it fails the start rather than the first batch.</summary>
    private sealed class TopicTaggerWarmUp(TopicTagger tagger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = tagger.Tag("warming up the topic tagger");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
