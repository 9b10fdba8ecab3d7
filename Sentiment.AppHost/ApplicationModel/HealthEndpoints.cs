namespace Sentiment.AppHost.ApplicationModel;

/// <summary>The paths ServiceDefaults' MapDefaultEndpoints() serves, as in Aspire's service-defaults template.</summary>
public static class HealthEndpoints
{
    /// <summary>Readiness: 200 once the service and its dependencies (Redis, PostgreSQL) work.</summary>
    public const string Readiness = "/health";

    /// <summary>Liveness: 200 while the process runs.</summary>
    public const string Liveness = "/alive";
}
