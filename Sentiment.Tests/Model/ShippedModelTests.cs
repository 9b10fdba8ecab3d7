using Sentiment.Cli.Evaluation;
using Sentiment.Contracts;
using Sentiment.Model.Classification;
using Sentiment.Model.Text;

namespace Sentiment.Tests.Model;

/// <summary>The model in models/sentiment, loaded once for the class.</summary>
public sealed class ShippedModelFixture : IDisposable
{
    public ShippedModelFixture()
    {
        Classifier = OnnxSentimentClassifier.Create(new ModelOptions { Path = ModelTestPaths.RequireShippedModel(), MaxBatchSize = 4 });
    }

    /// <summary>MaxBatchSize is 4 so that longer calls are split into several runs.</summary>
    public OnnxSentimentClassifier Classifier { get; }

    public SentimentPrediction Classify(string text)
    {
        var predictions = new SentimentPrediction[1];
        Classifier.Classify([TextPreprocessor.Normalize(text)], predictions);
        return predictions[0];
    }

    public void Dispose() => Classifier.Dispose();
}

public class ShippedModelTests(ShippedModelFixture model) : IClassFixture<ShippedModelFixture>
{
    [Theory]
    [InlineData("I love this phone, it is absolutely wonderful!", SentimentLabel.Positive)]
    [InlineData("Thank you so much, the support team was amazing and fixed everything.", SentimentLabel.Positive)]
    [InlineData("This is the worst service ever, I hate it.", SentimentLabel.Negative)]
    [InlineData("Terrible product, it broke after one day. Total waste of money.", SentimentLabel.Negative)]
    [InlineData("The store opens at nine on Mondays.", SentimentLabel.Neutral)]
    [InlineData("The meeting has been moved to Tuesday at 3pm.", SentimentLabel.Neutral)]
    public void Obvious_sentences_get_the_obvious_label(string text, SentimentLabel expected)
    {
        Assert.Equal(expected, model.Classify(text).Label);
    }

    [Fact]
    public void Batched_and_single_results_agree_within_1e_5()
    {
        string[] texts =
        [
            "ok",
            "The delivery was two days late and nobody answered my emails, very disappointed with @ShopFast",
            "love it",
            "Meeting moved to 3pm, see https://example.com/agenda for details",
            "Not bad at all, but the battery could last longer.",
            "worst. app. ever.",
            "",
            "The new update is out today.",
            "I can't believe how good this coffee maker is!!! 😀",
            "meh",
        ];
        var normalized = Array.ConvertAll(texts, TextPreprocessor.Normalize);
        var batched = new SentimentPrediction[texts.Length];

        model.Classifier.Classify(normalized, batched);

        for (var i = 0; i < texts.Length; i++)
        {
            var single = model.Classify(texts[i]);
            Assert.Equal(single.Label, batched[i].Label);
            Assert.True(Math.Abs(single.Negative - batched[i].Negative) <= 1e-5, $"P(negative) of '{texts[i]}': single {single.Negative}, batched {batched[i].Negative}");
            Assert.True(Math.Abs(single.Neutral - batched[i].Neutral) <= 1e-5, $"P(neutral) of '{texts[i]}': single {single.Neutral}, batched {batched[i].Neutral}");
            Assert.True(Math.Abs(single.Positive - batched[i].Positive) <= 1e-5, $"P(positive) of '{texts[i]}': single {single.Positive}, batched {batched[i].Positive}");
        }
    }

    [Fact]
    public void Probabilities_sum_to_one_and_score_and_confidence_follow_from_them()
    {
        var prediction = model.Classify("The package arrived today.");

        Assert.Equal(1f, prediction.Negative + prediction.Neutral + prediction.Positive, 1e-5f);
        Assert.Equal(prediction.Positive - prediction.Negative, prediction.Score, 1e-6f);
        var expectedConfidence = prediction.Label switch
        {
            SentimentLabel.Negative => prediction.Negative,
            SentimentLabel.Neutral => prediction.Neutral,
            _ => prediction.Positive,
        };
        Assert.Equal(expectedConfidence, prediction.Confidence);
    }

    [Fact]
    public void Text_longer_than_max_length_is_truncated_and_classified_like_its_beginning()
    {
        var tokenizer = model.Classifier.Folder.Tokenizer;
        var beginning = "I love this phone, it is absolutely wonderful!";
        var longText = beginning + string.Concat(Enumerable.Repeat(" and then some more words", 400));
        Assert.True(tokenizer.Encode(longText).Count > model.Classifier.Folder.MaxLength, "The long text must need truncating.");

        var prediction = model.Classify(longText);

        var ids = new long[model.Classifier.Folder.MaxLength];
        Assert.Equal(ids.Length, tokenizer.Encode(longText, ids));
        Assert.True(prediction.Confidence > 0f);
    }

    [Fact]
    public void Three_class_tweets_stay_above_the_recorded_macro_recall_floor()
    {
        var report = Evaluator.Evaluate(model.Classifier, LabelledDataset.Read(ModelTestPaths.ValidationData("semeval-2016-devtest-tweets.tsv")));

        // Floor recorded just below the measured figure; see docs/model.md for the figures and the model they belong to.
        Assert.True(report.MacroRecall >= TweetsMacroRecallFloor, $"Macro recall on SemEval 2016 dev-test tweets fell to {report.MacroRecall:F4} (floor {TweetsMacroRecallFloor}).");
    }

    [Fact]
    public void Sst2_sentences_stay_above_the_recorded_accuracy_floor()
    {
        var report = Evaluator.Evaluate(model.Classifier, LabelledDataset.Read(ModelTestPaths.ValidationData("sst2-validation.tsv")));

        // Floor recorded just below the measured figure; see docs/model.md.
        Assert.True(report.Accuracy >= Sst2AccuracyFloor, $"Accuracy on SST-2 validation fell to {report.Accuracy:F4} (floor {Sst2AccuracyFloor}).");
    }

    // Measured with sentiment-cnn-glove 1.1.0 (two CNNs and an n-gram member): tweets macro recall 0.5981, SST-2
    // accuracy 0.9001 on the whole file. Inference is deterministic, so these figures repeat exactly; the floors sit
    // about one point below them, so a real regression fails while a retrained model of the same quality passes.
    private const double TweetsMacroRecallFloor = 0.585;
    private const double Sst2AccuracyFloor = 0.89;
}
