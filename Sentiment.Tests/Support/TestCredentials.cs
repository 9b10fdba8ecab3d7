using Sentiment.Contracts.Security;

namespace Sentiment.Tests.Support;

/// <summary>
/// The keys and login the in-memory services of the tests accept, given to them as configuration the way the AppHost
/// gives its generated ones: hashes only.
/// </summary>
public static class TestCredentials
{
    public static readonly string IngestKey = ApiKeys.Generate(ApiKeys.IngestPrefix);
    public static readonly string ReadKey = ApiKeys.Generate(ApiKeys.ReadPrefix);
    public static readonly string OperatorKey = ApiKeys.Generate(ApiKeys.ReadPrefix);

    /// <summary>Ingest's settings: <see cref="IngestKey"/> may post to every source.</summary>
    public static IReadOnlyDictionary<string, string> IngestSettings { get; } = new Dictionary<string, string>
    {
        ["Ingest:Authentication:Keys:0:Name"] = "tests",
        ["Ingest:Authentication:Keys:0:Sha256"] = ApiKeys.Hash(IngestKey),
        ["Ingest:Authentication:Keys:0:Sources:0"] = Sentiment.Contracts.Security.IngestKey.AllSources,
    };

    /// <summary>The dashboard's settings: <see cref="ReadKey"/> is a viewer, <see cref="OperatorKey"/> an operator.</summary>
    public static IReadOnlyDictionary<string, string> DashboardSettings { get; } = new Dictionary<string, string>
    {
        ["Dashboard:Authentication:ApiKeys:0:Name"] = "tests-viewer",
        ["Dashboard:Authentication:ApiKeys:0:Sha256"] = ApiKeys.Hash(ReadKey),
        ["Dashboard:Authentication:ApiKeys:0:Role"] = "viewer",
        ["Dashboard:Authentication:ApiKeys:1:Name"] = "tests-operator",
        ["Dashboard:Authentication:ApiKeys:1:Sha256"] = ApiKeys.Hash(OperatorKey),
        ["Dashboard:Authentication:ApiKeys:1:Role"] = "operator",
    };
}
