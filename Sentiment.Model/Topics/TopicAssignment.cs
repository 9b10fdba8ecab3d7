namespace Sentiment.Model.Topics;

/// <summary>What a message is about: its topic, how sure the tagger is (0–1), and its most salient words.</summary>
public sealed record TopicAssignment(string Topic, float Confidence, IReadOnlyList<string> Keywords);
