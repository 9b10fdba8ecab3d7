using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Sentiment.Core.Model;

/// <summary>
/// Runs a <see cref="ModelFolder"/> through one ONNX Runtime session. A call is split into batches of at most
/// <see cref="ModelOptions.MaxBatchSize"/>, each padded to its longest item and truncated at the model's max length.
/// </summary>
/// <remarks>
/// The hot path allocates nothing per message apart from the tokenizer's result list (see
/// <see cref="Tokenization.ModelTokenizer.Encode(string, Span{long})"/>): ids, masks and logits live in pre-sized
/// buffers that calls rent from a pool, and the tensors handed to ONNX Runtime are views over those buffers.
/// Per batch there are only the few small <see cref="OrtValue"/> wrappers. Concurrent calls each rent their
/// own buffers, so the classifier is thread-safe; the session itself is shared.
/// </remarks>
public sealed partial class OnnxSentimentClassifier : ISentimentClassifier, IDisposable
{
    private const string InputIdsName = "input_ids";
    private const string AttentionMaskName = "attention_mask";
    private const string TokenTypeIdsName = "token_type_ids";

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
        var ids = buffers.InputIds;
        var lengths = buffers.Lengths;
        var tokenizer = _folder.Tokenizer;

        // Tokenise each text into its own max-length row, then close the rows up to the longest length found.
        var longest = 1;
        for (var i = 0; i < count; i++)
        {
            var length = tokenizer.Encode(texts[offset + i] ?? string.Empty, ids.AsSpan(i * _maxLength, _maxLength));
            lengths[i] = length;
            longest = Math.Max(longest, length);
        }

        var mask = buffers.AttentionMask;
        var padding = (long)tokenizer.PaddingId;
        for (var i = 0; i < count; i++)
        {
            var row = ids.AsSpan(i * longest, longest);
            // Rows only move towards the start (longest <= max length), so an overlapping copy is safe.
            ids.AsSpan(i * _maxLength, lengths[i]).CopyTo(row);
            row[lengths[i]..].Fill(padding);
            var maskRow = mask.AsSpan(i * longest, longest);
            maskRow[..lengths[i]].Fill(1);
            maskRow[lengths[i]..].Clear();
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
        for (var i = 0; i < count; i++)
        {
            predictions[i] = ToPrediction(buffers.Logits.AsSpan(i * _labelCount, _labelCount), labels);
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
                problem = $"ONNX Runtime cannot start CUDA on device {options.CudaDeviceId} ({e.Message})";
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
        public long[] InputIds { get; } = new long[maxBatchSize * maxLength];

        public long[] AttentionMask { get; } = new long[maxBatchSize * maxLength];

        public long[] TokenTypeIds { get; } = feedsTokenTypes ? new long[maxBatchSize * maxLength] : [];

        public int[] Lengths { get; } = new int[maxBatchSize];

        public float[] Logits { get; } = new float[maxBatchSize * labelCount];

        public long[] InputShape { get; } = new long[2];

        public long[] OutputShape { get; } = new long[2];

        public OrtValue[] ThreeInputs { get; } = new OrtValue[3];

        public OrtValue[] TwoInputs { get; } = new OrtValue[2];

        public OrtValue[] Outputs { get; } = new OrtValue[1];
    }
}
