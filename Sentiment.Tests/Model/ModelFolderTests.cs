using System.Security.Cryptography;
using Sentiment.Model.Classification;

namespace Sentiment.Tests.Model;

/// <summary>Reading a model folder: every missing or broken file fails with an error that names it.</summary>
public sealed class ModelFolderTests : IDisposable
{
    private const string ThreeLabels = """{"0": "negative", "1": "neutral", "2": "positive"}""";
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Missing_folder_is_named()
    {
        var missing = Path.Combine(_folder.Path, "nowhere");

        var error = Assert.Throws<ModelLoadException>(() => ModelFolder.Load(missing));

        Assert.Equal(missing, error.FilePath);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_file_is_named()
    {
        WriteValidFolder();
        File.Delete(_folder.File("model.onnx"));

        var error = Assert.Throws<ModelLoadException>(() => ModelFolder.Load(_folder.Path));

        Assert.Equal(_folder.File("model.onnx"), error.FilePath);
    }

    [Fact]
    public void Missing_config_is_named()
    {
        WriteValidFolder();
        File.Delete(_folder.File("config.json"));

        var error = Assert.Throws<ModelLoadException>(() => ModelFolder.Load(_folder.Path));

        Assert.Equal(_folder.File("config.json"), error.FilePath);
    }

    [Fact]
    public void Config_that_is_not_json_is_named()
    {
        WriteValidFolder();
        _folder.Write("config.json", "{ \"id2label\": ");

        var error = Assert.Throws<ModelLoadException>(() => ModelFolder.Load(_folder.Path));

        Assert.Equal(_folder.File("config.json"), error.FilePath);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_without_id2label_is_named()
    {
        WriteValidFolder(config: """{"max_length": 64}""");

        var error = Assert.Throws<ModelLoadException>(() => ModelFolder.Load(_folder.Path));

        Assert.Equal(_folder.File("config.json"), error.FilePath);
        Assert.Contains("id2label", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_tokenizer_files_is_named()
    {
        WriteValidFolder();
        File.Delete(_folder.File("vocab.txt"));

        var error = Assert.Throws<ModelLoadException>(() => ModelFolder.Load(_folder.Path));

        Assert.Equal(_folder.Path, error.FilePath);
        Assert.Contains("vocab.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_onnx_file_fails_at_load_naming_the_file()
    {
        WriteValidFolder();
        File.WriteAllBytes(_folder.File("model.onnx"), [0x08, 0x07, 0xFF, 0xFF, 0x13, 0x37, 0x00, 0x42]);

        var error = Assert.Throws<ModelLoadException>(() => OnnxSentimentClassifier.Create(new ModelOptions { Path = _folder.Path }));

        Assert.Equal(_folder.File("model.onnx"), error.FilePath);
        Assert.Contains("ONNX Runtime cannot load it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_is_name_at_version_from_config()
    {
        WriteValidFolder(config: $$"""{"id2label": {{ThreeLabels}}, "name": "tweet-encoder", "version": "1.2.0"}""");

        Assert.Equal("tweet-encoder@1.2.0", ModelFolder.Load(_folder.Path).Version);
    }

    [Fact]
    public void Version_of_an_export_without_name_is_folder_name_and_model_hash()
    {
        WriteValidFolder();
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_folder.File("model.onnx"))))[..12];

        Assert.Equal($"{Path.GetFileName(_folder.Path)}@sha256:{hash}", ModelFolder.Load(_folder.Path).Version);
    }

    [Theory]
    [InlineData("""{"id2label": {"0": "negative", "1": "neutral", "2": "positive"}, "max_length": 64}""", null, 64)]
    [InlineData("""{"id2label": {"0": "negative", "1": "neutral", "2": "positive"}, "model_type": "roberta", "max_position_embeddings": 514}""", """{"model_max_length": 1000000000000000019884624838656}""", 512)]
    [InlineData("""{"id2label": {"0": "negative", "1": "neutral", "2": "positive"}, "model_type": "roberta", "max_position_embeddings": 130}""", null, 128)]
    [InlineData("""{"id2label": {"0": "NEGATIVE", "1": "POSITIVE"}, "max_position_embeddings": 512}""", """{"model_max_length": 256}""", 256)]
    [InlineData("""{"id2label": {"0": "negative", "1": "neutral", "2": "positive"}, "max_length": 4096}""", null, 512)]
    [InlineData("""{"id2label": {"0": "negative", "1": "neutral", "2": "positive"}}""", null, 128)]
    public void Max_length_comes_from_config_then_tokenizer_config_then_positions(string config, string? tokenizerConfig, int expected)
    {
        WriteValidFolder(config: config);
        if (tokenizerConfig is not null)
        {
            _folder.Write("tokenizer_config.json", tokenizerConfig);
        }

        Assert.Equal(expected, ModelFolder.Load(_folder.Path).MaxLength);
    }

    [Fact]
    public void Tokenizer_config_turns_lower_casing_off()
    {
        WriteValidFolder();
        _folder.Write("tokenizer_config.json", """{"do_lower_case": false}""");

        var tokenizer = ModelFolder.Load(_folder.Path).Tokenizer;

        Assert.Equal([2L, 1, 6, 3], tokenizer.Encode("Hello world"));
    }

    [Fact]
    public void Wordpiece_tokenizer_json_gives_the_same_ids_as_vocab_txt()
    {
        WriteValidFolder();
        var fromVocabTxt = ModelFolder.Load(_folder.Path).Tokenizer.Encode("Hello worlds!");
        File.Delete(_folder.File("vocab.txt"));
        _folder.Write("tokenizer.json", """
            {"normalizer": {"type": "BertNormalizer", "lowercase": true},
             "model": {"type": "WordPiece", "unk_token": "[UNK]",
                       "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "hello": 5, "world": 6, "##s": 7, "!": 8}}}
            """);

        var fromTokenizerJson = ModelFolder.Load(_folder.Path).Tokenizer.Encode("Hello worlds!");

        Assert.Equal([2L, 5, 6, 7, 8, 3], fromVocabTxt);
        Assert.Equal(fromVocabTxt, fromTokenizerJson);
    }

    [Fact]
    public void Bpe_tokenizer_json_without_vocab_json_is_refused_by_name()
    {
        WriteValidFolder();
        File.Delete(_folder.File("vocab.txt"));
        _folder.Write("tokenizer.json", """{"model": {"type": "BPE", "vocab": {}, "merges": []}}""");

        var error = Assert.Throws<ModelLoadException>(() => ModelFolder.Load(_folder.Path));

        Assert.Equal(_folder.File("tokenizer.json"), error.FilePath);
    }

    private void WriteValidFolder(string? config = null)
    {
        _folder.Write("config.json", config ?? $$"""{"id2label": {{ThreeLabels}}}""");
        _folder.Write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n##s\n!\n");
        File.WriteAllBytes(_folder.File("model.onnx"), [1, 2, 3, 4]);
    }
}
