using Sentiment.Contracts;
using Sentiment.Model.Classification;

namespace Sentiment.Tests.Model;

public class LabelMapTests
{
    [Theory]
    [InlineData("negative,neutral,positive", 0, 1, 2)]
    [InlineData("Positive,NEGATIVE,Neutral", 1, 2, 0)]
    [InlineData("neg,neu,pos", 0, 1, 2)]
    [InlineData("LABEL_0,LABEL_1,LABEL_2", 0, 1, 2)]
    [InlineData("NEGATIVE,POSITIVE", 0, -1, 1)]
    [InlineData("LABEL_0,LABEL_1", 0, -1, 1)]
    public void Label_order_comes_from_id2label(string names, int negative, int neutral, int positive)
    {
        var map = LabelMap.FromId2Label(ToId2Label(names), "config.json");

        Assert.Equal((names.Split(',').Length, negative, neutral, positive), (map.Count, map.NegativeIndex, map.NeutralIndex, map.PositiveIndex));
    }

    [Theory]
    [InlineData("anger,joy,neutral")]
    [InlineData("negative,negative,positive")]
    [InlineData("negative,neutral")]
    [InlineData("LABEL_0,LABEL_1,LABEL_2,LABEL_3")]
    [InlineData("LABEL_1,LABEL_0")]
    [InlineData("negative,LABEL_1,positive")]
    public void Ambiguous_labels_fail_naming_the_config(string names)
    {
        var error = Assert.Throws<ModelLoadException>(() => LabelMap.FromId2Label(ToId2Label(names), "/models/x/config.json"));

        Assert.Equal("/models/x/config.json", error.FilePath);
    }

    [Fact]
    public void Two_class_softmax_gives_neutral_no_mass()
    {
        var map = LabelMap.FromId2Label(ToId2Label(["NEGATIVE", "POSITIVE"]), "config.json");

        var prediction = OnnxSentimentClassifier.ToPrediction([0f, MathF.Log(3f)], map);

        Assert.Equal(SentimentLabel.Positive, prediction.Label);
        Assert.Equal(0f, prediction.Neutral);
        Assert.Equal(0.25f, prediction.Negative, 1e-6f);
        Assert.Equal(0.75f, prediction.Positive, 1e-6f);
        Assert.Equal(0.5f, prediction.Score, 1e-6f);
        Assert.Equal(0.75f, prediction.Confidence, 1e-6f);
    }

    [Fact]
    public void Three_class_softmax_scores_positive_minus_negative()
    {
        var map = LabelMap.FromId2Label(ToId2Label(["negative", "neutral", "positive"]), "config.json");

        var prediction = OnnxSentimentClassifier.ToPrediction([MathF.Log(6f), MathF.Log(3f), MathF.Log(1f)], map);

        Assert.Equal(SentimentLabel.Negative, prediction.Label);
        Assert.Equal(0.6f, prediction.Negative, 1e-6f);
        Assert.Equal(0.3f, prediction.Neutral, 1e-6f);
        Assert.Equal(0.1f, prediction.Positive, 1e-6f);
        Assert.Equal(-0.5f, prediction.Score, 1e-6f);
        Assert.Equal(0.6f, prediction.Confidence, 1e-6f);
    }

    private static Dictionary<int, string> ToId2Label(string commaSeparated) => ToId2Label(commaSeparated.Split(','));

    private static Dictionary<int, string> ToId2Label(string[] names)
    {
        var id2label = new Dictionary<int, string>();
        for (var i = 0; i < names.Length; i++)
        {
            id2label[i] = names[i];
        }

        return id2label;
    }
}
