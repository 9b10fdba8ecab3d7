using Sentiment.Contracts.Messaging;
using Sentiment.Tests.Infrastructure;
using Sentiment.Tests.Worker.Support;

namespace Sentiment.Tests.Model;

/// <summary>
/// The worker built with <c>-p:OnnxRuntimeFlavor=Gpu</c> (ONNX Runtime's CUDA build, which <c>./test.sh</c> builds into
/// artifacts/gpu): it classifies on the CPU on a machine without a GPU, and asked for CUDA there it stops with the
/// message docs/model.md promises, naming the CUDA library it could not load.
/// </summary>
[Collection(InfrastructureCollection.Name)]
[Trait("Category", "Integration")]
public sealed class GpuBuildTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Gpu_build_of_the_worker_classifies_on_the_cpu()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);
        var now = DateTimeOffset.UtcNow;
        await redis.PublishAsync([new FeedbackMessage("gpu-build-1", now, "reviews", "Absolutely love it, works perfectly and arrived early", null, now)]);

        using var worker = WorkerProcess.Start(redis.ConnectionString, results.ConnectionString, directory: GpuWorkerDirectory());
        await Eventually.WaitForAsync(results.CountAsync, count => count == 1 || worker.HasExited, Timeout, $"the GPU build to store the message\n{worker.Output}");

        var row = Assert.Single(await results.RowsAsync());
        Assert.Equal("positive", row.SentimentLabel);
        Assert.False(worker.HasExited, worker.Output);
    }

    [Fact]
    public async Task Gpu_build_asked_for_cuda_without_cuda_stops_naming_the_missing_library()
    {
        await using var redis = await RedisTestDatabase.CreateAsync(infrastructure);
        var results = await ResultsDatabase.CreateAsync(infrastructure);

        using var worker = WorkerProcess.Start(
            redis.ConnectionString,
            results.ConnectionString,
            new Dictionary<string, string>(WorkerApplication.FastTimings) { ["Model:ExecutionProvider"] = "cuda" },
            GpuWorkerDirectory());
        await Eventually.WaitForAsync(() => Task.FromResult(worker.HasExited), exited => exited, Timeout, $"the worker to stop\n{worker.Output}");

        Assert.Contains("Model:ExecutionProvider is 'cuda' but ONNX Runtime cannot start CUDA on device 0", worker.Output, StringComparison.Ordinal);
        Assert.Matches(@"\(\[ErrorCode:Fail\] [^\n]*: lib(cublasLt|cudart|cudnn)[^ ]*\.so[^ ]*: cannot open shared object file", worker.Output);
        Assert.Contains("Model:AllowCpuFallback=true", worker.Output, StringComparison.Ordinal);
    }

    private static string GpuWorkerDirectory()
    {
        var directory = Path.Combine(ModelTestPaths.RepositoryRoot, "artifacts", "gpu", "bin", "Sentiment.Worker", "release");
        Assert.True(
            File.Exists(Path.Combine(directory, "Sentiment.Worker.dll")),
            $"The GPU build of the worker is missing from {directory}: ./test.sh builds it with "
            + "dotnet build Sentiment.Worker -c Release -p:OnnxRuntimeFlavor=Gpu --artifacts-path artifacts/gpu");
        return directory;
    }
}
