using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sentiment.Model.Tokenization;

namespace Sentiment.Model.Classification;

/// <summary>
/// A model folder as the training code writes it, or as <c>optimum-cli export onnx</c> writes a Hugging Face model:
/// <c>model.onnx</c>, <c>config.json</c> (id2label; max_length, name and version for our own models), and tokenizer
/// files: <c>vocab.txt</c> (WordPiece), <c>vocab.json</c> + <c>merges.txt</c> (byte-level BPE) or a WordPiece
/// <c>tokenizer.json</c>, with an optional <c>tokenizer_config.json</c>. See docs/model.md.
/// </summary>
public sealed class ModelFolder
{
    public const string ModelFileName = "model.onnx";
    public const string ConfigFileName = "config.json";
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary>Longest input we run; longer limits only cost time on tweets and reviews alike.</summary>
    public const int MaxLengthCap = 512;

    /// <summary>Used when neither the config nor the tokenizer says how long an input may be.</summary>
    public const int DefaultMaxLength = 128;

    private ModelFolder(string path, ModelTokenizer tokenizer, LabelMap labels, int maxLength, string version)
    {
        Path = path;
        Tokenizer = tokenizer;
        Labels = labels;
        MaxLength = maxLength;
        Version = version;
    }

    public string Path { get; }

    public string ModelFile => System.IO.Path.Combine(Path, ModelFileName);

    public ModelTokenizer Tokenizer { get; }

    public LabelMap Labels { get; }

    /// <summary>Most ids in one input, special tokens included.</summary>
    public int MaxLength { get; }

    /// <summary><c>name@version</c> from config.json, or for a Hugging Face export the folder name and a hash of model.onnx.</summary>
    public string Version { get; }

    /// <summary>Reads and checks the folder; every problem is a <see cref="ModelLoadException"/> naming the file.</summary>
    public static ModelFolder Load(string path)
    {
        var folder = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(folder))
        {
            throw new ModelLoadException(folder, "the model folder does not exist. Set Model:Path (or --model) to a folder with model.onnx, config.json and tokenizer files.");
        }

        var modelFile = System.IO.Path.Combine(folder, ModelFileName);
        if (!File.Exists(modelFile))
        {
            throw new ModelLoadException(modelFile, "not found.");
        }

        var configPath = System.IO.Path.Combine(folder, ConfigFileName);
        using var config = ReadJson(configPath, required: true)!;
        var tokenizerConfigPath = System.IO.Path.Combine(folder, TokenizerConfigFileName);
        using var tokenizerConfig = ReadJson(tokenizerConfigPath, required: false);

        var root = config.RootElement;
        var labels = LabelMap.FromId2Label(ReadId2Label(root, configPath), configPath);
        var tokenizer = LoadTokenizer(folder, tokenizerConfig?.RootElement);
        var maxLength = ReadMaxLength(root, tokenizerConfig?.RootElement, configPath);
        var version = ReadVersion(root, folder, modelFile);
        return new ModelFolder(folder, tokenizer, labels, maxLength, version);
    }

    private static JsonDocument? ReadJson(string path, bool required)
    {
        if (!File.Exists(path))
        {
            return required ? throw new ModelLoadException(path, "not found.") : null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            var document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new ModelLoadException(path, "is not a JSON object.");
            }

            return document;
        }
        catch (JsonException e)
        {
            throw new ModelLoadException(path, $"is not valid JSON ({e.Message}).", e);
        }
    }

    private static Dictionary<int, string> ReadId2Label(JsonElement config, string configPath)
    {
        if (!config.TryGetProperty("id2label", out var id2label) || id2label.ValueKind != JsonValueKind.Object)
        {
            throw new ModelLoadException(configPath, "has no id2label object, so the order of the model's outputs is unknown.");
        }

        var result = new Dictionary<int, string>();
        foreach (var entry in id2label.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new ModelLoadException(configPath, $"id2label entry \"{entry.Name}\" must map a number to a label name.");
            }

            result[id] = entry.Value.GetString()!;
        }

        return result;
    }

    private static ModelTokenizer LoadTokenizer(string folder, JsonElement? tokenizerConfig)
    {
        var vocabTxt = System.IO.Path.Combine(folder, "vocab.txt");
        var vocabJson = System.IO.Path.Combine(folder, "vocab.json");
        var merges = System.IO.Path.Combine(folder, "merges.txt");
        var tokenizerJson = System.IO.Path.Combine(folder, "tokenizer.json");

        if (File.Exists(vocabTxt))
        {
            var lowerCase = GetBool(tokenizerConfig, "do_lower_case") ?? true;
            var stripAccents = GetBool(tokenizerConfig, "strip_accents");
            var splitCjk = GetBool(tokenizerConfig, "tokenize_chinese_chars") ?? true;
            return Guard(vocabTxt, () => WordPieceModelTokenizer.FromVocabularyFile(vocabTxt, lowerCase, stripAccents, splitCjk));
        }

        if (File.Exists(vocabJson) && File.Exists(merges))
        {
            var start = GetToken(tokenizerConfig, "bos_token") ?? "<s>";
            var end = GetToken(tokenizerConfig, "eos_token") ?? "</s>";
            var padding = GetToken(tokenizerConfig, "pad_token") ?? "<pad>";
            var addPrefixSpace = GetBool(tokenizerConfig, "add_prefix_space") ?? false;
            return Guard(vocabJson, () => ByteLevelBpeModelTokenizer.FromFiles(vocabJson, merges, start, end, padding, addPrefixSpace));
        }

        if (File.Exists(tokenizerJson))
        {
            return Guard(tokenizerJson, () => LoadWordPieceTokenizerJson(tokenizerJson, tokenizerConfig));
        }

        throw new ModelLoadException(folder, "has no tokenizer: expected vocab.txt (WordPiece), vocab.json + merges.txt (byte-level BPE) or a WordPiece tokenizer.json.");
    }

    /// <summary>A Hugging Face <c>tokenizer.json</c> whose model is WordPiece, turned into the vocab.txt form BertTokenizer reads.</summary>
    private static WordPieceModelTokenizer LoadWordPieceTokenizerJson(string path, JsonElement? tokenizerConfig)
    {
        using var document = ReadJson(path, required: true)!;
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model)
            || !model.TryGetProperty("type", out var type)
            || type.GetString() != "WordPiece"
            || !model.TryGetProperty("vocab", out var vocab)
            || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new ModelLoadException(path, "is not a WordPiece tokenizer (model.type \"WordPiece\" with a vocab); for byte-level BPE ship vocab.json and merges.txt.");
        }

        var tokens = new SortedDictionary<int, string>();
        foreach (var entry in vocab.EnumerateObject())
        {
            tokens[entry.Value.GetInt32()] = entry.Name;
        }

        var text = new StringBuilder();
        var expected = 0;
        foreach (var (id, token) in tokens)
        {
            if (id != expected++)
            {
                throw new ModelLoadException(path, $"the WordPiece vocabulary skips id {expected - 1}; ids must run from 0 without gaps.");
            }

            text.Append(token).Append('\n');
        }

        JsonElement? normalizer = root.TryGetProperty("normalizer", out var n) && n.ValueKind == JsonValueKind.Object ? n : null;
        var lowerCase = GetBool(tokenizerConfig, "do_lower_case") ?? GetBool(normalizer, "lowercase") ?? true;
        var stripAccents = GetBool(tokenizerConfig, "strip_accents") ?? GetBool(normalizer, "strip_accents");
        var splitCjk = GetBool(tokenizerConfig, "tokenize_chinese_chars") ?? GetBool(normalizer, "handle_chinese_chars") ?? true;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        return WordPieceModelTokenizer.FromVocabulary(stream, lowerCase, stripAccents, splitCjk);
    }

    private static int ReadMaxLength(JsonElement config, JsonElement? tokenizerConfig, string configPath)
    {
        var isRoberta = GetString(config, "model_type") is { } modelType && modelType.EndsWith("roberta", StringComparison.OrdinalIgnoreCase);
        // RoBERTa's position ids start after the padding index, so two of its positions never hold a token.
        var positions = GetInt(config, "max_position_embeddings") is { } p ? p - (isRoberta ? 2 : 0) : (long?)null;

        var maxLength = GetInt(config, "max_length")
            // Hugging Face writes a huge model_max_length (1e30) when the tokenizer has no limit of its own.
            ?? (GetInt(tokenizerConfig, "model_max_length") is { } m && m <= 1_000_000 ? m : (long?)null)
            ?? positions
            ?? DefaultMaxLength;

        if (positions is { } limit && maxLength > limit)
        {
            maxLength = limit;
        }

        if (maxLength < 4)
        {
            throw new ModelLoadException(configPath, FormattableString.Invariant($"max_length {maxLength} leaves no room for text."));
        }

        return (int)Math.Min(maxLength, MaxLengthCap);
    }

    private static string ReadVersion(JsonElement config, string folder, string modelFile)
    {
        var name = GetScalar(config, "name");
        var version = GetScalar(config, "version");
        if (!string.IsNullOrWhiteSpace(name) && !string.IsNullOrWhiteSpace(version))
        {
            return $"{name}@{version}";
        }

        // A Hugging Face export names neither; the hash tells two exports in folders of the same name apart.
        using var stream = File.OpenRead(modelFile);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return $"{System.IO.Path.GetFileName(folder)}@sha256:{hash[..12]}";
    }

    private static T Guard<T>(string file, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (ModelLoadException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or InvalidOperationException or JsonException or KeyNotFoundException or OverflowException)
        {
            throw new ModelLoadException(file, $"cannot be read as a tokenizer file ({e.Message}).", e);
        }
    }

    private static bool? GetBool(JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static long? GetInt(JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    private static string? GetString(JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? GetScalar(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString()
            : null;

    /// <summary>A special token in tokenizer_config.json: a plain string, or an object with "content" (newer exports).</summary>
    private static string? GetToken(JsonElement? element, string name)
    {
        if (element is not { } e || !e.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };
    }
}
