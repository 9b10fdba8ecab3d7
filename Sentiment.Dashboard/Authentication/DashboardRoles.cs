namespace Sentiment.Dashboard.Authentication;

/// <summary>
/// What a signed-in person or a read key may do. A viewer reads everything the dashboard shows; an operator also
/// acknowledges alerts.
/// </summary>
public static class DashboardRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator];

    /// <summary>The policy every page, API endpoint and the hub require: either role.</summary>
    public const string ViewPolicy = "view";

    /// <summary>The policy of acknowledging an alert.</summary>
    public const string OperatePolicy = "operate";
}
