using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Sentiment.Model.Classification;

namespace Sentiment.Tests.Model;

/// <summary><c>builder.AddSentimentModel()</c>: the model loads while the host starts, and a bad one stops the start.</summary>
public class ModelRegistrationTests
{
    [Fact]
    public async Task Host_starts_with_the_shipped_model_and_serves_one_classifier()
    {
        using var host = Build(("Model:Path", ModelTestPaths.RequireShippedModel()));

        await host.StartAsync();
        var classifier = host.Services.GetRequiredService<ISentimentClassifier>();

        Assert.Same(classifier, host.Services.GetRequiredService<ISentimentClassifier>());
        Assert.Equal(ModelFolder.Load(ModelTestPaths.ShippedModel).Version, classifier.ModelVersion);
        await host.StopAsync();
    }

    [Fact]
    public async Task Missing_model_folder_fails_the_start_naming_the_folder()
    {
        var missing = Path.Combine(Path.GetTempPath(), "sentiment-no-such-model");
        using var host = Build(("Model:Path", missing));

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => host.StartAsync());

        Assert.Equal(missing, error.FilePath);
    }

    [Fact]
    public async Task Invalid_options_fail_the_start()
    {
        using var host = Build(("Model:Path", ModelTestPaths.RequireShippedModel()), ("Model:MaxBatchSize", "0"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cuda_without_a_gpu_build_fails_clearly_unless_cpu_fallback_is_allowed()
    {
        var options = new ModelOptions { Path = ModelTestPaths.RequireShippedModel(), ExecutionProvider = "cuda" };
        if (Array.IndexOf(OrtEnv.Instance().GetAvailableProviders(), "CUDAExecutionProvider") >= 0)
        {
            // A GPU build on a GPU machine: cuda must then really be used.
            using var onGpu = OnnxSentimentClassifier.Create(options);
            Assert.Equal("cuda", onGpu.ExecutionProvider);
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => OnnxSentimentClassifier.Create(options));
        Assert.Contains("-p:OnnxRuntimeFlavor=Gpu", error.Message, StringComparison.Ordinal);
        Assert.Contains("Model:AllowCpuFallback", error.Message, StringComparison.Ordinal);

        options.AllowCpuFallback = true;
        using var fallback = OnnxSentimentClassifier.Create(options);
        Assert.Equal("cpu", fallback.ExecutionProvider);
    }

    [Fact]
    public void The_build_ships_the_model_beside_the_binaries_where_the_default_path_finds_it()
    {
        // Sentiment.Cli.csproj copies models/sentiment to the output; this project gets it through its reference.
        ModelTestPaths.RequireShippedModel();

        var resolved = new ModelOptions().ResolvePath();

        Assert.Equal(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "models", "sentiment")), resolved);
        Assert.True(File.Exists(Path.Combine(resolved, "model.onnx")), $"No model.onnx in {resolved}.");
        Assert.Equal(new FileInfo(Path.Combine(ModelTestPaths.ShippedModel, "model.onnx")).Length, new FileInfo(Path.Combine(resolved, "model.onnx")).Length);
    }

    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.AddSentimentModel();
        return builder.Build();
    }
}
