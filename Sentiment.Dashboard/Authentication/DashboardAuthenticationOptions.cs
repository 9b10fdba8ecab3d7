using System.ComponentModel.DataAnnotations;

namespace Sentiment.Dashboard.Authentication;

/// <summary>
/// The <c>Dashboard:Authentication</c> section: local users (names, password hashes and roles), API keys for scripts
/// (their SHA-256 and role), optional OpenID Connect single sign-on, and the origins besides the dashboard's own that
/// may open its hubs.
/// </summary>
public sealed class DashboardAuthenticationOptions : IValidatableObject
{
    public const string SectionName = "Dashboard:Authentication";

    public List<LocalUser> Users { get; set; } = [];

    public List<DashboardApiKey> ApiKeys { get; set; } = [];

    public OidcSettings Oidc { get; set; } = new();

    /// <summary>Origins (<c>https://ops.example.com</c>) allowed to open the SignalR hubs besides the dashboard's own.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>How long a login lasts without use; each request within it extends it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Login attempts (posts of the form) one client address may make a minute; more get 429.</summary>
    [Range(1, 10_000)]
    public int LoginAttemptsPerMinute { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Users.Count; i++)
        {
            var user = Users[i];
            var path = $"{SectionName}:Users:{i}";
            if (string.IsNullOrWhiteSpace(user.Name))
            {
                yield return new ValidationResult($"{path}:Name is required.");
            }
            else if (Users.Take(i).Any(earlier => string.Equals(earlier.Name, user.Name, StringComparison.OrdinalIgnoreCase)))
            {
                yield return new ValidationResult($"{path}:Name '{user.Name}' is given twice.");
            }

            if (!PasswordHashes.LooksValid(user.PasswordHash))
            {
                yield return new ValidationResult(
                    $"{path}:PasswordHash must be a password hash from 'sentiment users hash-password', not a password.");
            }

            if (!DashboardRoles.All.Contains(user.Role))
            {
                yield return new ValidationResult($"{path}:Role must be one of {string.Join(", ", DashboardRoles.All)}, not '{user.Role}'.");
            }
        }

        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var path = $"{SectionName}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                yield return new ValidationResult($"{path}:Name is required.");
            }

            if (!Contracts.Security.ApiKeys.IsHash(key.Sha256))
            {
                yield return new ValidationResult($"{path}:Sha256 must be the key's SHA-256 in hex (64 digits), not the key itself.");
            }

            if (!DashboardRoles.All.Contains(key.Role))
            {
                yield return new ValidationResult($"{path}:Role must be one of {string.Join(", ", DashboardRoles.All)}, not '{key.Role}'.");
            }
        }

        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                yield return new ValidationResult($"{SectionName}:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port]).");
            }
        }

        if (Oidc.IsEnabled && string.IsNullOrWhiteSpace(Oidc.ClientId))
        {
            yield return new ValidationResult($"{SectionName}:Oidc:ClientId is required with Oidc:Authority.");
        }
    }
}

/// <summary>A person who signs in with a name and password.</summary>
public sealed class LocalUser
{
    public string Name { get; set; } = "";

    /// <summary>ASP.NET Core Identity's password hash (PBKDF2), as <c>sentiment users hash-password</c> prints it.</summary>
    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = DashboardRoles.Viewer;
}

/// <summary>
/// A key for scripts and monitoring (<c>Authorization: Bearer</c>), without a login: the viewer role reads the API
/// and the live feed; an operator key may also acknowledge alerts, e.g. from an incident tool.
/// </summary>
public sealed class DashboardApiKey
{
    public string Name { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public string Role { get; set; } = DashboardRoles.Viewer;
}

/// <summary>
/// Single sign-on through an OpenID Connect provider (Entra ID, Keycloak, Okta...). Its users get the roles their
/// <see cref="RoleClaim"/> names: <see cref="OperatorValue"/> or <see cref="ViewerValue"/>; anyone else is refused.
/// </summary>
public sealed class OidcSettings
{
    /// <summary>The provider's issuer URL; single sign-on is on when it is set.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string RoleClaim { get; set; } = "roles";

    public string OperatorValue { get; set; } = "sentiment-operator";

    public string ViewerValue { get; set; } = "sentiment-viewer";

    /// <summary>Whether the provider must be reached over HTTPS; off only for a provider on this machine in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);
}
