using Sentiment.Model.Topics;

namespace Sentiment.Tests.Topics;

public sealed class KeywordTests
{
    [Fact]
    public void Keywords_leave_out_stop_words_numbers_and_short_fragments()
    {
        var assignment = ShippedTopics.Tagger.Tag("I don't think that the 2 of us can use it, it's too loud");

        Assert.Equal(["loud", "use", "think"], assignment.Keywords);
    }

    [Fact]
    public void At_most_five_keywords_rarest_first()
    {
        var assignment = ShippedTopics.Tagger.Tag(
            "The courier dumped my parcel in a puddle, the cardboard was soaked, the blender inside was rusty and the receipt was missing");

        Assert.Equal(5, assignment.Keywords.Count);
        Assert.Equal(["parcel", "courier", "rusty", "puddle", "soaked"], assignment.Keywords);
    }

    [Fact]
    public void Repeated_word_is_one_keyword()
    {
        var assignment = ShippedTopics.Tagger.Tag("Refund, refund, REFUND!");

        Assert.Equal(["refund"], assignment.Keywords);
    }

    [Fact]
    public void Extractor_ranks_by_frequency_times_idf_and_keeps_first_seen_order_on_ties()
    {
        var vectors = WordVectors.Create(
            2,
            [("common", [1f, 0f], 1f), ("rare", [0f, 1f], 5f), ("middle", [1f, 1f], 2f)],
            documents: 1000);
        var extractor = new KeywordExtractor(new StopWords(["the"]), vectors, maxKeywords: 3, minLength: 3);

        var keywords = extractor.Extract(TopicTokenizer.Tokenize("the common middle common common rare unseen"));

        // unseen: a word the table never saw gets ln(1001) + 1 ≈ 7.9; rare 5; common 3 × 1 = 3 before middle 2.
        Assert.Equal(["unseen", "rare", "common"], keywords);
    }

    [Fact]
    public void Stop_word_file_with_a_phrase_is_an_error_naming_the_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# comment\nthe\nof course\n");

            var error = Assert.Throws<TopicModelException>(() => StopWords.Read(path));

            Assert.Equal($"Topic model file '{path}': line 3: 'of course' is not one lower-case word", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
