using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Sentiment.Contracts;

namespace Sentiment.Model.Classification;

/// <summary>
/// Runs a <see cref="ModelFolder"/> through one ONNX Runtime session. A call is split into batches of at most
/// <see cref="ModelOptions.MaxBatchSize"/>; a batch is tokenised (truncating at the model's max length), sorted by
/// length and run in groups, each padded to its longest item.
/// </summary>
/// <remarks>
/// The hot path allocates nothing per message apart from the tokenizer's result list (see
/// <see cref="Tokenization.ModelTokenizer.Encode(string, Span{long})"/>): ids, masks and logits live in pre-sized
/// buffers that calls rent from a pool, and the tensors handed to ONNX Runtime are views over those buffers.
/// Per ONNX Runtime run there are only the few small <see cref="OrtValue"/> wrappers. Concurrent calls each rent their
/// own buffers, so the classifier is thread-safe; the session itself is shared.
/// </remarks>
public sealed partial class OnnxSentimentClassifier : ISentimentClassifier, IDisposable
{
    private const string InputIdsName = "input_ids";
    private const string AttentionMaskName = "attention_mask";
    private const string TokenTypeIdsName = "token_type_ids";

    /// <summary>
    /// Texts per ONNX Runtime run after sorting by length. Smaller groups waste less on padding but pay the
    /// per-run overhead more often. Measured with the shipped model on tweet-length texts (docs/benchmarks.md):
    /// groups of 8 took batch-32 throughput from about 3,400 to 4,200–5,900 messages/s on one thread, and batch 256
    /// from about 2,900 to 4,700–6,000; groups of 4 and 16 did no better.
    /// </summary>
    private const int LengthGroupSize = 8;

    private readonly ModelFolder _folder;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _feedsTokenTypes;
    private readonly int _maxBatchSize;
    private readonly int _maxLength;
    private readonly int _labelCount;
    private readonly ConcurrentBag<BatchBuffers> _buffers = [];

    private OnnxSentimentClassifier(ModelFolder folder, InferenceSession session, string outputName, bool feedsTokenTypes, int maxBatchSize, string executionProvider)
    {
        _folder = folder;
        _session = session;
        _feedsTokenTypes = feedsTokenTypes;
        _inputNames = feedsTokenTypes ? [InputIdsName, AttentionMaskName, TokenTypeIdsName] : [InputIdsName, AttentionMaskName];
        _outputNames = [outputName];
        _maxBatchSize = maxBatchSize;
        _maxLength = folder.MaxLength;
        _labelCount = folder.Labels.Count;
        ExecutionProvider = executionProvider;
    }

    public string ModelVersion => _folder.Version;

    /// <summary>The folder the model was loaded from (labels, tokenizer, max length).</summary>
    public ModelFolder Folder => _folder;

    /// <summary><c>cpu</c> or <c>cuda</c>: where the session actually runs, after any fallback.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Loads the model named by <paramref name="options"/>; fails with a <see cref="ModelLoadException"/> naming the file at fault.</summary>
    public static OnnxSentimentClassifier Create(ModelOptions options, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var folder = ModelFolder.Load(options.ResolvePath());

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
        };
        var spinning = options.AllowSpinning ? "1" : "0";
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning);
        sessionOptions.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning);

        var provider = ConfigureExecutionProvider(sessionOptions, options, logger);

        InferenceSession session;
        try
        {
            session = new InferenceSession(folder.ModelFile, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException(folder.ModelFile, $"ONNX Runtime cannot load it ({e.Message}).", e);
        }

        try
        {
            var (outputName, feedsTokenTypes) = CheckSignature(session, folder);
            var classifier = new OnnxSentimentClassifier(folder, session, outputName, feedsTokenTypes, options.MaxBatchSize, provider);
            classifier._buffers.Add(classifier.NewBuffers());
            LogLoaded(logger, folder.Version, provider, folder.MaxLength, options.MaxBatchSize, options.IntraOpThreads, options.InterOpThreads);
            return classifier;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Classify(IReadOnlyList<string> texts, Span<SentimentPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (predictions.Length < texts.Count)
        {
            throw new ArgumentException($"Room for {predictions.Length} predictions, but {texts.Count} texts were given.", nameof(predictions));
        }

        if (texts.Count == 0)
        {
            return;
        }

        if (!_buffers.TryTake(out var buffers))
        {
            buffers = NewBuffers();
        }

        try
        {
            for (var offset = 0; offset < texts.Count; offset += _maxBatchSize)
            {
                var count = Math.Min(_maxBatchSize, texts.Count - offset);
                RunBatch(texts, offset, count, buffers, predictions.Slice(offset, count));
            }
        }
        finally
        {
            _buffers.Add(buffers);
        }
    }

    private BatchBuffers NewBuffers() => new(_maxBatchSize, _maxLength, _labelCount, _feedsTokenTypes);

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private void RunBatch(IReadOnlyList<string> texts, int offset, int count, BatchBuffers buffers, Span<SentimentPrediction> predictions)
    {
        var tokenizer = _folder.Tokenizer;
        var staging = buffers.Staging;
        var lengths = buffers.Lengths;
        var order = buffers.Order;
        for (var i = 0; i < count; i++)
        {
            lengths[i] = tokenizer.Encode(texts[offset + i] ?? string.Empty, staging.AsSpan(i * _maxLength, _maxLength));
            order[i] = i;
        }

        // Run the texts shortest first, in groups: a group is padded only to its own longest text. Tweets vary
        // from a few tokens to dozens, so padding a whole batch to its longest text wastes a large share of the
        // model's work; each text's result does not depend on the others in its run.
        lengths.AsSpan(0, count).CopyTo(buffers.SortKeys);
        buffers.SortKeys.AsSpan(0, count).Sort(order.AsSpan(0, count));
        for (var start = 0; start < count; start += LengthGroupSize)
        {
            RunGroup(buffers, start, Math.Min(LengthGroupSize, count - start), predictions);
        }
    }

    /// <summary>Runs the texts at <c>Order[start..start+count]</c> as one ONNX Runtime run and writes their predictions.</summary>
    private void RunGroup(BatchBuffers buffers, int start, int count, Span<SentimentPrediction> predictions)
    {
        var order = buffers.Order;
        var lengths = buffers.Lengths;
        var longest = lengths[order[start + count - 1]];
        var ids = buffers.InputIds;
        var mask = buffers.AttentionMask;
        var padding = (long)_folder.Tokenizer.PaddingId;
        for (var row = 0; row < count; row++)
        {
            var text = order[start + row];
            var length = lengths[text];
            var idsRow = ids.AsSpan(row * longest, longest);
            buffers.Staging.AsSpan(text * _maxLength, length).CopyTo(idsRow);
            idsRow[length..].Fill(padding);
            var maskRow = mask.AsSpan(row * longest, longest);
            maskRow[..length].Fill(1);
            maskRow[length..].Clear();
        }

        buffers.InputShape[0] = count;
        buffers.InputShape[1] = longest;
        buffers.OutputShape[0] = count;
        buffers.OutputShape[1] = _labelCount;
        var tokens = count * longest;

        var inputs = _feedsTokenTypes ? buffers.ThreeInputs : buffers.TwoInputs;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, tokens), buffers.InputShape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, tokens), buffers.InputShape);
        // BERT exports take segment ids; a single sentence is segment 0 throughout, and this buffer is never written.
        using var typesValue = _feedsTokenTypes
            ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.TokenTypeIds.AsMemory(0, tokens), buffers.InputShape)
            : null;
        using var logitsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffers.Logits.AsMemory(0, count * _labelCount), buffers.OutputShape);
        inputs[0] = idsValue;
        inputs[1] = maskValue;
        if (typesValue is not null)
        {
            inputs[2] = typesValue;
        }

        buffers.Outputs[0] = logitsValue;
        try
        {
            _session.Run(_runOptions, _inputNames, inputs, _outputNames, buffers.Outputs);
        }
        finally
        {
            // Drop the references so a pooled buffer never holds a disposed tensor.
            Array.Clear(inputs);
            Array.Clear(buffers.Outputs);
        }

        var labels = _folder.Labels;
        for (var row = 0; row < count; row++)
        {
            predictions[order[start + row]] = ToPrediction(buffers.Logits.AsSpan(row * _labelCount, _labelCount), labels);
        }
    }

    /// <summary>Softmax in float; Score = P(positive) − P(negative); Confidence = P(label). Ties go to positive, then neutral.</summary>
    public static SentimentPrediction ToPrediction(ReadOnlySpan<float> logits, LabelMap labels)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var sum = 0f;
        foreach (var logit in logits)
        {
            sum += MathF.Exp(logit - max);
        }

        var negative = MathF.Exp(logits[labels.NegativeIndex] - max) / sum;
        var positive = MathF.Exp(logits[labels.PositiveIndex] - max) / sum;
        var neutral = labels.HasNeutral ? MathF.Exp(logits[labels.NeutralIndex] - max) / sum : 0f;

        var label = SentimentLabel.Positive;
        var confidence = positive;
        if (neutral > confidence)
        {
            label = SentimentLabel.Neutral;
            confidence = neutral;
        }

        if (negative > confidence)
        {
            label = SentimentLabel.Negative;
            confidence = negative;
        }

        return new SentimentPrediction(label, confidence, positive - negative, negative, neutral, positive);
    }

    private static string ConfigureExecutionProvider(SessionOptions sessionOptions, ModelOptions options, ILogger logger)
    {
        if (!options.UsesCuda)
        {
            return "cpu";
        }

        string problem;
        if (Array.IndexOf(OrtEnv.Instance().GetAvailableProviders(), "CUDAExecutionProvider") < 0)
        {
            problem = "this build links the CPU-only ONNX Runtime (build with -p:OnnxRuntimeFlavor=Gpu for Microsoft.ML.OnnxRuntime.Gpu)";
        }
        else
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                return "cuda";
            }
            catch (OnnxRuntimeException e)
            {
                problem = $"ONNX Runtime cannot start CUDA on device {options.CudaDeviceId} ({e.Message}{MissingCudaLibrary()})";
            }
        }

        if (!options.AllowCpuFallback)
        {
            throw new InvalidOperationException(
                $"Model:ExecutionProvider is 'cuda' but {problem}. Fix the GPU set-up, set Model:ExecutionProvider=cpu, or set Model:AllowCpuFallback=true to run on the CPU.");
        }

        LogCpuFallback(logger, problem);
        return "cpu";
    }

    /// <summary>
    /// ONNX Runtime says only "Failed to load shared library"; the dynamic loader names the library that is missing
    /// (e.g. "libcublasLt.so.13: cannot open shared object file"), so its CUDA provider is loaded once more to ask.
    /// </summary>
    private static string MissingCudaLibrary()
    {
        var provider = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime_providers_cuda.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(provider))
        {
            return "";
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(provider));
            return "";
        }
        catch (DllNotFoundException e)
        {
            // .NET's message is advice about strace and LD_DEBUG, then the loader's own line(s); the last one names it.
            var loaderError = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            return string.IsNullOrEmpty(loaderError) ? "" : $": {loaderError}";
        }
    }

    private static (string OutputName, bool FeedsTokenTypes) CheckSignature(InferenceSession session, ModelFolder folder)
    {
        var inputs = session.InputMetadata;
        foreach (var name in new[] { InputIdsName, AttentionMaskName })
        {
            if (!inputs.TryGetValue(name, out var input))
            {
                throw new ModelLoadException(folder.ModelFile, $"has no '{name}' input; expected the Hugging Face sequence-classification signature (input_ids, attention_mask → logits).");
            }

            if (input.ElementType != typeof(long))
            {
                throw new ModelLoadException(folder.ModelFile, $"input '{name}' is {input.ElementType.Name}; expected int64.");
            }
        }

        foreach (var name in inputs.Keys)
        {
            if (name is not (InputIdsName or AttentionMaskName or TokenTypeIdsName))
            {
                throw new ModelLoadException(folder.ModelFile, $"has an input '{name}' this classifier cannot fill (it feeds input_ids, attention_mask and token_type_ids).");
            }
        }

        var outputs = session.OutputMetadata;
        string outputName;
        if (outputs.ContainsKey("logits"))
        {
            outputName = "logits";
        }
        else if (outputs.Count == 1)
        {
            using var names = outputs.Keys.GetEnumerator();
            names.MoveNext();
            outputName = names.Current;
        }
        else
        {
            throw new ModelLoadException(folder.ModelFile, "has several outputs and none is called 'logits'.");
        }

        var output = outputs[outputName];
        if (output.ElementType != typeof(float) || output.Dimensions.Length != 2 || (output.Dimensions[1] > 0 && output.Dimensions[1] != folder.Labels.Count))
        {
            throw new ModelLoadException(folder.ModelFile, $"output '{outputName}' is {output.ElementType.Name}[{string.Join(", ", output.Dimensions)}]; config.json id2label needs float[batch, {folder.Labels.Count}].");
        }

        return (outputName, inputs.ContainsKey(TokenTypeIdsName));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded sentiment model {ModelVersion} on {ExecutionProvider}: max length {MaxLength}, max batch {MaxBatchSize}, intra-op threads {IntraOpThreads}, inter-op threads {InterOpThreads} (0 = ONNX Runtime's choice)")]
    private static partial void LogLoaded(ILogger logger, string modelVersion, string executionProvider, int maxLength, int maxBatchSize, int intraOpThreads, int interOpThreads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model:ExecutionProvider is 'cuda' but {Problem}; Model:AllowCpuFallback is set, so the model runs on the CPU")]
    private static partial void LogCpuFallback(ILogger logger, string problem);

    /// <summary>One call's working memory, sized for the largest batch and rented from the pool.</summary>
    private sealed class BatchBuffers(int maxBatchSize, int maxLength, int labelCount, bool feedsTokenTypes)
    {
        /// <summary>Each text's ids in its own max-length row, as tokenised.</summary>
        public long[] Staging { get; } = new long[maxBatchSize * maxLength];

        /// <summary>One group's ids, rows closed up to the group's longest text.</summary>
        public long[] InputIds { get; } = new long[maxBatchSize * maxLength];

        public long[] AttentionMask { get; } = new long[maxBatchSize * maxLength];

        public long[] TokenTypeIds { get; } = feedsTokenTypes ? new long[maxBatchSize * maxLength] : [];

        public int[] Lengths { get; } = new int[maxBatchSize];

        public int[] SortKeys { get; } = new int[maxBatchSize];

        /// <summary>Text indices, shortest first.</summary>
        public int[] Order { get; } = new int[maxBatchSize];

        public float[] Logits { get; } = new float[maxBatchSize * labelCount];

        public long[] InputShape { get; } = new long[2];

        public long[] OutputShape { get; } = new long[2];

        public OrtValue[] ThreeInputs { get; } = new OrtValue[3];

        public OrtValue[] TwoInputs { get; } = new OrtValue[2];

        public OrtValue[] Outputs { get; } = new OrtValue[1];
    }
}
