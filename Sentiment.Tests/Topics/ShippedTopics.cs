using Sentiment.Model.Topics;
using Sentiment.Tests.Model;

namespace Sentiment.Tests.Topics;

/// <summary>The topic folder shipped in models/topics, loaded once for all the topic tests.</summary>
public static class ShippedTopics
{
    private static readonly Lazy<TopicTagger> LazyTagger = new(() => TopicTagger.Load(Folder));

    public static string Folder => Path.Combine(ModelTestPaths.RepositoryRoot, "models", "topics");

    public static TopicTagger Tagger => LazyTagger.Value;

    public static string EvalData(string fileName) => Path.Combine(ModelTestPaths.RepositoryRoot, "docs", "eval", fileName);
}
