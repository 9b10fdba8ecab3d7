using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sentiment.Model.Classification;

public static class ModelServiceExtensions
{
    /// <summary>
    /// Registers <see cref="ModelOptions"/> (section <c>Model</c>) and one <see cref="ISentimentClassifier"/> for the
    /// process. The model is loaded and warmed up while the host starts, so a missing or broken model stops the
    /// start instead of failing the first message.
    /// </summary>
    public static IHostApplicationBuilder AddSentimentModel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ModelOptions>()
            .BindConfiguration(ModelOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(static services => OnnxSentimentClassifier.Create(
            services.GetRequiredService<IOptions<ModelOptions>>().Value,
            services.GetRequiredService<ILogger<OnnxSentimentClassifier>>()));
        builder.Services.AddSingleton<ISentimentClassifier>(static services => services.GetRequiredService<OnnxSentimentClassifier>());
        builder.Services.AddHostedService<ModelWarmUp>();
        return builder;
    }
}
