namespace Sentiment.Tests.Faults;

/// <summary>
/// The fault matrix runs alone, after every other collection: each case starts a whole system and times its recovery
/// under load, which other tests sharing the two cores would distort (and which would starve them).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
