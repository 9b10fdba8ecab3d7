using Microsoft.Extensions.Hosting;

namespace Sentiment.Model.Classification;

/// <summary>
/// Creates the classifier while the host starts (a broken model fails the start) and runs one batch through it,
/// so ONNX Runtime's first-run set-up is not paid by the first real message.
/// </summary>
internal sealed class ModelWarmUp(ISentimentClassifier classifier) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Span<SentimentPrediction> predictions = stackalloc SentimentPrediction[2];
        classifier.Classify(["warming up the model", "the service is starting"], predictions);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
