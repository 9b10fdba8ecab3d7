namespace Sentiment.Tests.AppHost;

/// <summary>AppHost tests run one at a time: each starts a whole system, and two at once would starve each other.</summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection
{
    public const string Name = "apphost";
}
