namespace Sentiment.Tests.Topics;

public sealed class TopicTaggerTests
{
    [Theory]
    [InlineData("My parcel still hasn't arrived and the courier's tracking page shows nothing", "Shipping")]
    [InlineData("I was charged twice on my credit card this month", "Billing")]
    [InlineData("The app crashes every time I open it on my phone", "App Experience")]
    [InlineData("Way too expensive, the same thing costs half as much elsewhere", "Pricing")]
    [InlineData("I sent it back three weeks ago and I'm still waiting for my refund", "Returns")]
    [InlineData("The agent on the phone was rude and hung up on me", "Customer Service")]
    [InlineData("The stitching came apart and the fabric tore after one wash", "Quality")]
    [InlineData("Your checkout page won't load in my browser", "Website")]
    [InlineData("Wish the blender had a pulse setting and a timer", "Product Features")]
    public void Clear_message_gets_its_topic(string text, string topic)
    {
        var assignment = ShippedTopics.Tagger.Tag(text);

        Assert.Equal(topic, assignment.Topic);
    }

    [Fact]
    public void Words_near_the_seeds_count_without_the_seed_itself()
    {
        // "van" is no Shipping seed or phrase word; its vector sits near "courier", "driver" and "delivery".
        // (Not every paraphrase lands: docs/topics.md lists some that do not.)
        var assignment = ShippedTopics.Tagger.Tag("The van never came");

        Assert.Equal("Shipping", assignment.Topic);
    }

    [Theory]
    [InlineData("Hello there!")]
    [InlineData("Congrats on your tenth anniversary!")]
    [InlineData("!!!")]
    [InlineData("")]
    public void Message_about_none_of_the_topics_gets_general_feedback(string text)
    {
        var assignment = ShippedTopics.Tagger.Tag(text);

        Assert.Equal("General Feedback", assignment.Topic);
    }

    [Fact]
    public void Confidence_is_a_probability_and_higher_for_a_clearer_message()
    {
        var clear = ShippedTopics.Tagger.Tag("Tracking says out for delivery, the courier has my parcel and the shipping was quick");
        var vague = ShippedTopics.Tagger.Tag("It came on Tuesday");

        Assert.InRange(clear.Confidence, 0f, 1f);
        Assert.InRange(vague.Confidence, 0f, 1f);
        Assert.True(clear.Confidence > vague.Confidence, $"clear {clear.Confidence} <= vague {vague.Confidence}");
    }

    [Fact]
    public void Tagger_has_the_ten_topics_of_the_design()
    {
        Assert.Equal(
            ["Product Features", "Customer Service", "Pricing", "Shipping", "Quality", "Website", "App Experience", "Returns", "Billing", "General Feedback"],
            ShippedTopics.Tagger.Topics);
        Assert.Equal("General Feedback", ShippedTopics.Tagger.FallbackTopic);
    }

    [Fact]
    public void Tagging_from_many_threads_gives_the_same_answers_as_one()
    {
        var texts = File.ReadLines(ShippedTopics.EvalData("topics-dev.tsv")).Skip(1).Select(line => line.Split('\t')[2]).ToList();
        var fresh = Sentiment.Model.Topics.TopicTagger.Load(ShippedTopics.Folder);

        var parallel = new Sentiment.Model.Topics.TopicAssignment[texts.Count];
        Parallel.For(0, texts.Count, i => parallel[i] = fresh.Tag(texts[i]));
        var sequential = texts.Select(ShippedTopics.Tagger.Tag).ToList();

        for (var i = 0; i < texts.Count; i++)
        {
            Assert.Equal(sequential[i].Topic, parallel[i].Topic);
            Assert.Equal(sequential[i].Confidence, parallel[i].Confidence);
            Assert.Equal(sequential[i].Keywords, parallel[i].Keywords);
        }
    }
}
