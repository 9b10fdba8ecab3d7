using System.Numerics.Tensors;
using Sentiment.Model.Text;

namespace Sentiment.Model.Topics;

/// <summary>
/// Tags a message with one of the catalog's topics, a confidence and its keywords. Thread-safe; load once per process.
/// </summary>
/// <remarks>
/// There is no labelled topic data, so the topics are defined by seed words and the word vectors generalise them:
/// each content word of the message is compared with every topic's seeds, and its similarity to a topic is the mean
/// of its <c>TopK</c> best cosines (a soft maximum, so one lucky seed does not decide). Similarity above
/// <c>Floor</c> becomes evidence, rescaled to 0–1 and weighted by the word's idf^IdfExponent; a topic's phrases add
/// <c>PhraseWeight</c> per occurrence (its words in order, up to <c>PhraseGap</c> other words between them). The fallback topic's evidence is at least <c>Threshold</c>, so a
/// message about none of the others gets it; the confidence is the softmax of the evidence at <c>Temperature</c>.
/// docs/topics.md has the formula and the evaluation.
/// </remarks>
public sealed class TopicTagger
{
    private readonly TopicCatalog _catalog;
    private readonly StopWords _stopWords;
    private readonly WordVectors _vectors;
    private readonly KeywordExtractor _keywords;
    private readonly string[] _names;
    private readonly float[][] _seedMatrices;
    private readonly int[] _seedCounts;
    private readonly string[][][] _phrases;
    private readonly int _fallback;

    // Each vocabulary word's similarity to each topic, filled on first use. Concurrent fills of the same word write
    // the same values, and the flag is published after them, so no lock is needed.
    private readonly float[] _wordSimilarity;
    private readonly bool[] _wordDone;

    public TopicTagger(TopicCatalog catalog, StopWords stopWords, WordVectors vectors, int maxKeywords = 5, int minKeywordLength = 3, string source = TopicCatalog.FileName)
    {
        var problems = catalog.Validate();
        var missing = catalog.Topics.SelectMany(topic => topic.Seeds).Where(seed => !vectors.TryGetIndex(seed, out _)).Distinct().ToList();
        if (missing.Count > 0)
        {
            problems.Add($"seeds without a word vector (add them and rerun `sentiment topics-build`): {string.Join(", ", missing)}");
        }

        if (problems.Count > 0)
        {
            throw new TopicModelException(source, string.Join("; ", problems));
        }

        _catalog = catalog;
        _stopWords = stopWords;
        _vectors = vectors;
        _keywords = new KeywordExtractor(stopWords, vectors, maxKeywords, minKeywordLength);
        _names = [.. catalog.Topics.Select(topic => topic.Name)];
        _fallback = Array.IndexOf(_names, catalog.FallbackTopic);
        _seedCounts = new int[_names.Length];
        _seedMatrices = new float[_names.Length][];
        _phrases = new string[_names.Length][][];
        for (var t = 0; t < _names.Length; t++)
        {
            var seeds = catalog.Topics[t].Seeds;
            _seedCounts[t] = seeds.Count;
            _seedMatrices[t] = new float[seeds.Count * vectors.Dimensions];
            for (var s = 0; s < seeds.Count; s++)
            {
                vectors.TryGetIndex(seeds[s], out var index);
                vectors.Vector(index).CopyTo(_seedMatrices[t].AsSpan(s * vectors.Dimensions));
            }

            _phrases[t] = [.. catalog.Topics[t].Phrases.Select(phrase => TopicTokenizer.Tokenize(phrase).ToArray())];
        }

        _wordSimilarity = new float[vectors.Count * _names.Length];
        _wordDone = new bool[vectors.Count];
    }

    public IReadOnlyList<string> Topics => _names;

    public string FallbackTopic => _catalog.FallbackTopic;

    public TopicScoring Scoring => _catalog.Scoring;

    /// <summary>Loads topics.json, stopwords.txt and vectors.bin from the folder.</summary>
    public static TopicTagger Load(string folder, int maxKeywords = 5, int minKeywordLength = 3)
    {
        if (!Directory.Exists(folder))
        {
            throw new TopicModelException(folder, "the topic folder does not exist");
        }

        var catalogPath = Path.Combine(folder, TopicCatalog.FileName);
        return new TopicTagger(
            TopicCatalog.Read(catalogPath),
            StopWords.Read(Path.Combine(folder, StopWords.FileName)),
            WordVectors.Read(Path.Combine(folder, WordVectors.FileName)),
            maxKeywords,
            minKeywordLength,
            catalogPath);
    }

    public static TopicTagger Load(TopicOptions options) => Load(options.ResolvePath(), options.MaxKeywords, options.MinKeywordLength);

    public TopicAssignment Tag(string text)
    {
        var tokens = TopicTokenizer.Tokenize(TextPreprocessor.Normalize(text));
        var evidence = Evidence(tokens);
        return new TopicAssignment(_names[Winner(evidence, out var confidence)], confidence, _keywords.Extract(tokens));
    }

    /// <summary>Each topic's evidence for the text, in catalog order (the fallback's before its <c>Threshold</c> floor).</summary>
    public double[] Evidence(string text) => Evidence(TopicTokenizer.Tokenize(TextPreprocessor.Normalize(text)));

    private double[] Evidence(List<string> tokens)
    {
        var scoring = _catalog.Scoring;
        var evidence = new double[_names.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            if (_stopWords.Contains(token) || !seen.Add(token) || !_vectors.TryGetIndex(token, out var index))
            {
                continue;
            }

            var weight = Math.Pow(_vectors.Idf(index), scoring.IdfExponent);
            var similarities = WordSimilarities(index);
            for (var t = 0; t < _names.Length; t++)
            {
                var above = similarities[t] - scoring.Floor;
                if (above > 0)
                {
                    evidence[t] += weight * above / (1 - scoring.Floor);
                }
            }
        }

        for (var t = 0; t < _names.Length; t++)
        {
            foreach (var phrase in _phrases[t])
            {
                evidence[t] += scoring.PhraseWeight * Occurrences(tokens, phrase, scoring.PhraseGap);
            }
        }

        return evidence;
    }

    private int Winner(double[] evidence, out float confidence)
    {
        var scoring = _catalog.Scoring;
        if (_fallback >= 0)
        {
            evidence[_fallback] = Math.Max(evidence[_fallback], scoring.Threshold);
        }

        var winner = 0;
        for (var t = 1; t < evidence.Length; t++)
        {
            if (evidence[t] > evidence[winner])
            {
                winner = t;
            }
        }

        var sum = 0.0;
        for (var t = 0; t < evidence.Length; t++)
        {
            sum += Math.Exp((evidence[t] - evidence[winner]) / scoring.Temperature);
        }

        confidence = (float)(1 / sum);
        return winner;
    }

    private ReadOnlySpan<float> WordSimilarities(int index)
    {
        var row = _wordSimilarity.AsSpan(index * _names.Length, _names.Length);
        if (Volatile.Read(ref _wordDone[index]))
        {
            return row;
        }

        var vector = _vectors.Vector(index);
        var dimensions = _vectors.Dimensions;
        var topK = _catalog.Scoring.TopK;
        Span<float> best = stackalloc float[topK];
        for (var t = 0; t < _names.Length; t++)
        {
            var count = _seedCounts[t];
            if (count == 0)
            {
                row[t] = 0;
                continue;
            }

            best.Fill(float.NegativeInfinity);
            for (var s = 0; s < count; s++)
            {
                var similarity = TensorPrimitives.Dot(vector, _seedMatrices[t].AsSpan(s * dimensions, dimensions));
                InsertTopK(best, similarity);
            }

            var k = Math.Min(topK, count);
            row[t] = TensorPrimitives.Sum(best[..k]) / k;
        }

        Volatile.Write(ref _wordDone[index], true);
        return row;
    }

    /// <summary>Keeps <paramref name="best"/> sorted high to low with the largest values seen.</summary>
    private static void InsertTopK(Span<float> best, float value)
    {
        if (value <= best[^1])
        {
            return;
        }

        var i = best.Length - 1;
        while (i > 0 && best[i - 1] < value)
        {
            best[i] = best[i - 1];
            i--;
        }

        best[i] = value;
    }

    /// <summary>
    /// Counts the phrase's occurrences: its words in order, each at most <paramref name="gap"/> words after the one
    /// before, so "sent back" also matches "sent the jacket back". Occurrences start at distinct first words.
    /// </summary>
    private static int Occurrences(List<string> tokens, string[] phrase, int gap)
    {
        var count = 0;
        for (var start = 0; start < tokens.Count; start++)
        {
            if (tokens[start] != phrase[0])
            {
                continue;
            }

            var position = start;
            var matched = 1;
            while (matched < phrase.Length)
            {
                var next = -1;
                for (var j = position + 1; j <= position + 1 + gap && j < tokens.Count; j++)
                {
                    if (tokens[j] == phrase[matched])
                    {
                        next = j;
                        break;
                    }
                }

                if (next < 0)
                {
                    break;
                }

                position = next;
                matched++;
            }

            if (matched == phrase.Length)
            {
                count++;
            }
        }

        return count;
    }
}
