namespace Sentiment.Tests.AppHost;

/// <summary>
/// Tests of the AppHost and of the whole system it starts run one at a time: each starts servers and services, and two
/// at once would starve each other. They share one running system (<see cref="RunningSystemFixture"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<RunningSystemFixture>
{
    public const string Name = "apphost";
}
