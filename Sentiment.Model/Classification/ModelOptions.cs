using System.ComponentModel.DataAnnotations;

namespace Sentiment.Model.Classification;

/// <summary>How the sentiment model is loaded and run. Bound from the <c>Model</c> configuration section.</summary>
public sealed class ModelOptions
{
    public const string SectionName = "Model";

    /// <summary>
    /// The model folder (model.onnx, config.json, tokenizer files). A relative path is looked up under the app's
    /// base directory first (where the build copies models/sentiment), then under the current directory.
    /// </summary>
    [Required]
    public string Path { get; set; } = "models/sentiment";

    /// <summary>
    /// Largest batch sent to ONNX Runtime in one run; longer lists are split. Sizes the pre-allocated buffers. In the
    /// worker it follows <c>Worker:BatchSize</c> unless set, and may not be smaller, so a batch read is one model run.
    /// </summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>
    /// Threads ONNX Runtime uses inside one operator; 0 lets ONNX Runtime choose (one per physical core).
    /// The default is 1: on a machine the worker shares with Redis, PostgreSQL and the other services, one
    /// thread gave the most messages per second (docs/benchmarks.md), and idle ONNX Runtime threads spin.
    /// </summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Threads across independent operators; the session runs operators in sequence, so 1 is enough. 0 lets ONNX Runtime choose.</summary>
    [Range(0, 256)]
    public int InterOpThreads { get; set; } = 1;

    /// <summary>
    /// Whether ONNX Runtime's worker threads spin while waiting for work. Spinning shaves a little latency off
    /// each run but burns a core; on a machine shared with the other services (and with more than one intra-op
    /// thread) it cost throughput in docs/benchmarks.md, so it is off unless asked for.
    /// </summary>
    public bool AllowSpinning { get; set; }

    /// <summary><c>cpu</c> (default) or <c>cuda</c>; <c>cuda</c> needs the build made with <c>-p:OnnxRuntimeFlavor=Gpu</c>.</summary>
    [Required]
    [RegularExpression("^(?i:cpu|cuda)$", ErrorMessage = "Model:ExecutionProvider must be 'cpu' or 'cuda'.")]
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>When <c>cuda</c> is asked for but unavailable: false fails start-up, true logs a warning and runs on the CPU.</summary>
    public bool AllowCpuFallback { get; set; }

    /// <summary>The CUDA device to use when <see cref="ExecutionProvider"/> is <c>cuda</c>.</summary>
    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    public bool UsesCuda => string.Equals(ExecutionProvider, "cuda", StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves <see cref="Path"/>: absolute as given; relative against the base directory, then the current directory.</summary>
    public string ResolvePath() => ShippedFolder.Resolve(Path);
}
