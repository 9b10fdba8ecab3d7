using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Sentiment.Dashboard.Authentication;

/// <summary>Checks a local user's name and password and, if they match, signs them in with a cookie.</summary>
public sealed partial class LocalUserSignIn(IOptions<DashboardAuthenticationOptions> options, ILogger<LocalUserSignIn> logger)
{
    // Checked against when the name is unknown, so a wrong name takes as long as a wrong password and the time
    // taken does not tell which names exist.
    private static readonly string UnknownUserHash = PasswordHashes.Hash(Guid.NewGuid().ToString());

    public async Task<bool> SignInAsync(HttpContext context, string name, string password)
    {
        var user = options.Value.Users.FirstOrDefault(user => string.Equals(user.Name, name, StringComparison.OrdinalIgnoreCase));
        var matches = PasswordHashes.Verify(user?.PasswordHash ?? UnknownUserHash, password) && user is not null;
        if (!matches)
        {
            LogFailed(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return false;
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user!.Name), new Claim(ClaimTypes.Role, user.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        LogSignedIn(logger, user.Name, user.Role);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed dashboard login from {Address}")]
    private static partial void LogFailed(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} signed in to the dashboard as {Role}")]
    private static partial void LogSignedIn(ILogger logger, string user, string role);
}
