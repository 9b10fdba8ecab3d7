using System.Globalization;
using Sentiment.Model.Classification;
using Sentiment.Model.Text;

namespace Sentiment.Tests.Model;

/// <summary>
/// training/parity/wordpiece-cases.tsv holds raw texts and the ids the Python training code gives them
/// (tweet-normalize-v1 + BERT WordPiece with the shipped vocab.txt, truncated at max_length). The C#
/// preprocessing and tokenizer must give exactly the same ids, or the model sees different inputs in
/// production than in training.
/// </summary>
public class WordPieceParityTests
{
    [Fact]
    public void Preprocessing_and_tokenizing_match_the_python_training_code_on_every_parity_case()
    {
        var casesFile = Path.Combine(ModelTestPaths.RepositoryRoot, "training", "parity", "wordpiece-cases.tsv");
        Assert.True(File.Exists(casesFile), $"Missing {casesFile}; training/make_parity.py writes it with the model.");
        var folder = ModelFolder.Load(ModelTestPaths.RequireShippedModel());
        var buffer = new long[folder.MaxLength];

        var lines = File.ReadAllLines(casesFile);
        Assert.Equal("text\tids", lines[0]);
        var mismatches = new List<string>();
        for (var i = 1; i < lines.Length; i++)
        {
            var columns = lines[i].Split('\t');
            Assert.True(columns.Length == 2, $"{casesFile} line {i + 1} should have 2 columns.");
            var expected = Array.ConvertAll(columns[1].Split(' '), id => long.Parse(id, CultureInfo.InvariantCulture));

            var count = folder.Tokenizer.Encode(TextPreprocessor.Normalize(columns[0]), buffer);

            var actual = buffer.AsSpan(0, count).ToArray();
            if (!expected.AsSpan().SequenceEqual(actual))
            {
                mismatches.Add($"line {i + 1} '{columns[0]}': expected [{string.Join(' ', expected)}], got [{string.Join(' ', actual)}]");
            }
        }

        Assert.True(lines.Length > 1, $"{casesFile} has no cases.");
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }
}
