namespace Sentiment.Contracts;

/// <summary>
/// Names of the app model's resources. They are the keys of the Aspire environment contract:
/// <c>ConnectionStrings__{name}</c> and <c>services__{name}__http__0</c>.
/// </summary>
public static class ResourceNames
{
    public const string Redis = "redis";
    public const string Postgres = "postgres";
    public const string Database = "sentimentdb";
    public const string Migrations = "migrations";
    public const string Ingest = "ingest";
    public const string Worker = "worker";
    public const string Notifier = "notifier";
    public const string Dashboard = "dashboard";
}
