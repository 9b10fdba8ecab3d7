namespace Sentiment.Model.Topics;

/// <summary>
/// Words that carry no topic and make no keyword: <c>stopwords.txt</c> in the topic folder, one lower-case word a
/// line, '#' starting a comment. They are skipped both when scoring topics and when picking keywords.
/// </summary>
public sealed class StopWords
{
    public const string FileName = "stopwords.txt";

    private readonly HashSet<string> _words;

    public StopWords(IEnumerable<string> words)
    {
        _words = new HashSet<string>(words, StringComparer.Ordinal);
    }

    public int Count => _words.Count;

    public bool Contains(string word) => _words.Contains(word);

    public static StopWords Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new TopicModelException(path, "not found");
        }

        var words = new List<string>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var tokens = TopicTokenizer.Tokenize(line);
            if (tokens.Count != 1 || tokens[0] != line)
            {
                throw new TopicModelException(path, $"line {lineNumber}: '{line}' is not one lower-case word");
            }

            words.Add(line);
        }

        return new StopWords(words);
    }
}
