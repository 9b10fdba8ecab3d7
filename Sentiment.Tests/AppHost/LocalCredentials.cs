using System.Text.Json;

namespace Sentiment.Tests.AppHost;

/// <summary>What the AppHost generated into <c>&lt;data root&gt;/secrets.json</c>, read as a script would read it.</summary>
public sealed record LocalCredentials(string IngestApiKey, string ReadApiKey, string DashboardUser, string DashboardPassword)
{
    public static LocalCredentials Read(string dataRoot)
    {
        var secrets = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(dataRoot, "secrets.json")))!;
        return new LocalCredentials(secrets["ingest-api-key"], secrets["read-api-key"], secrets["dashboard-user"], secrets["dashboard-password"]);
    }
}
