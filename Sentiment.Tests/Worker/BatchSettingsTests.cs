using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sentiment.Model.Classification;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Worker;

/// <summary>Worker:BatchSize is the batch read, classified and stored together: the model's batch follows it.</summary>
[Trait("Category", "Integration")]
public sealed class BatchSettingsTests
{
    // Never reached: the settings are read before anything connects.
    private const string Redis = "127.0.0.1:1,abortConnect=false";
    private const string Database = "Host=127.0.0.1;Port=1;Database=none";

    [Theory]
    [InlineData("128", null, 128)]
    [InlineData("64", "256", 256)]
    [InlineData("64", "64", 64)]
    public async Task Model_batch_follows_the_worker_batch_unless_set(string workerBatch, string? modelBatch, int expected)
    {
        await using var worker = new WorkerApplication(Redis, Database).WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Worker:BatchSize", workerBatch);
            if (modelBatch is not null)
            {
                builder.UseSetting("Model:MaxBatchSize", modelBatch);
            }
        });

        Assert.Equal(expected, worker.Services.GetRequiredService<IOptions<ModelOptions>>().Value.MaxBatchSize);
    }

    [Fact]
    public async Task Model_batch_below_the_worker_batch_stops_the_start_naming_both()
    {
        await using var worker = new WorkerApplication(Redis, Database).WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Worker:BatchSize", "64");
            builder.UseSetting("Model:MaxBatchSize", "32");
        });

        var exception = Assert.Throws<OptionsValidationException>(() => worker.Services);

        Assert.Contains("Model:MaxBatchSize must be at least Worker:BatchSize", exception.Message, StringComparison.Ordinal);
    }
}
