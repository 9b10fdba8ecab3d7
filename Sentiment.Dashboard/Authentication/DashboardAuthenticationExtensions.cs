using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Sentiment.Dashboard.Hubs;
using Sentiment.ServiceDefaults.Authentication;

namespace Sentiment.Dashboard.Authentication;

/// <summary>
/// Who may use the dashboard: people signed in with a cookie (local users, or single sign-on when configured) and
/// scripts with a read key. Every page, API endpoint and hub requires the viewer or operator role; only the health
/// probes and the static files the login page needs are open.
/// </summary>
public static class DashboardAuthenticationExtensions
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/account/logout";
    public const string LoginRateLimitPolicy = "login";

    // Chooses, per request, between the read-key handler and the cookie (or single sign-on for pages).
    private const string AuthenticateScheme = "KeyOrCookie";
    private const string ChallengeScheme = "ChallengeByPath";

    private static readonly PathString[] MachinePaths = ["/api", "/hubs", "/openapi", "/metrics"];

    public static IHostApplicationBuilder AddDashboardAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardAuthenticationOptions>()
            .BindConfiguration(DashboardAuthenticationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(DashboardAuthenticationOptions.SectionName).Get<DashboardAuthenticationOptions>()
            ?? new DashboardAuthenticationOptions();

        builder.Services.AddSingleton<IApiKeyStore, DashboardApiKeyStore>();
        builder.Services.AddSingleton<LocalUserSignIn>();

        var authentication = builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = AuthenticateScheme;
            options.DefaultChallengeScheme = ChallengeScheme;
            options.DefaultForbidScheme = ChallengeScheme;
            options.DefaultSignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        });
        authentication
            .AddPolicyScheme(AuthenticateScheme, null, options => options.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.HasKey(context.Request) || HasHubToken(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            // Machines (the API, the hub) get 401 or 403 ProblemDetails; people on pages go to the login.
            .AddPolicyScheme(ChallengeScheme, null, options => options.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.HasKey(context.Request) || MachinePaths.Any(path => context.Request.Path.StartsWithSegments(path))
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : settings.Oidc.IsEnabled ? OpenIdConnectDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName, options => options.QueryTokenPaths = [SentimentHub.Path])
            .AddCookie(options =>
            {
                options.Cookie.Name = "Sentiment.Session";
                options.Cookie.HttpOnly = true;
                // Strict: no cross-site request (a form post, a WebSocket) carries the session.
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.LoginPath = LoginPath;
                options.AccessDeniedPath = LoginPath;
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DashboardAuthenticationOptions>>((cookie, dashboard) => cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime);

        if (settings.Oidc.IsEnabled)
        {
            authentication.AddOpenIdConnect(options => ConfigureSingleSignOn(options, settings.Oidc));
        }

        var viewer = new AuthorizationPolicyBuilder().RequireRole(DashboardRoles.Viewer, DashboardRoles.Operator).Build();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DashboardRoles.ViewPolicy, viewer)
            .AddPolicy(DashboardRoles.OperatePolicy, policy => policy.RequireRole(DashboardRoles.Operator))
            // Everything not marked otherwise needs a viewer at least: a page added tomorrow is not open by mistake.
            .SetFallbackPolicy(viewer);
        builder.Services.AddCascadingAuthenticationState();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginRateLimitPolicy, context =>
            {
                // Only the posts try a password; showing the form costs nothing worth limiting.
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var perMinute = context.RequestServices.GetRequiredService<IOptions<DashboardAuthenticationOptions>>().Value.LoginAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return builder;
    }

    /// <summary>Authentication, the hubs' origin check, authorization and the login's rate limit, in that order.</summary>
    public static WebApplication UseDashboardAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<OriginCheck>();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary><c>POST /account/logout</c>: ends the session (a form with an antiforgery token posts it).</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LogoutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.LocalRedirect(LoginPath);
        })
        .AddEndpointFilter<CookieAntiforgeryFilter>()
        .ExcludeFromDescription();

        if (app.ServiceProvider.GetRequiredService<IOptions<DashboardAuthenticationOptions>>().Value.Oidc.IsEnabled)
        {
            app.MapGet(SingleSignOnPath, () => TypedResults.Challenge(
                    new AuthenticationProperties { RedirectUri = "/" }, [OpenIdConnectDefaults.AuthenticationScheme]))
                .AllowAnonymous()
                .ExcludeFromDescription();
        }

        return app;
    }

    /// <summary><c>GET /account/sso</c>: starts single sign-on (the login page links it when it is configured).</summary>
    public const string SingleSignOnPath = "/account/sso";

    private static bool HasHubToken(HttpRequest request) =>
        request.Path.StartsWithSegments(SentimentHub.Path) && request.Query.ContainsKey("access_token");

    private static void ConfigureSingleSignOn(OpenIdConnectOptions options, OidcSettings oidc)
    {
        options.Authority = oidc.Authority;
        options.ClientId = oidc.ClientId;
        options.ClientSecret = oidc.ClientSecret;
        options.ResponseType = "code";
        options.UsePkce = true;
        options.SaveTokens = false;
        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "name";
        options.TokenValidationParameters.RoleClaimType = ClaimTypes.Role;
        options.Scope.Add("profile");
        options.Events.OnTokenValidated = context =>
        {
            // The provider's role values become the dashboard's two roles; anyone with neither is refused.
            var identity = (ClaimsIdentity)context.Principal!.Identity!;
            var values = identity.FindAll(oidc.RoleClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
            if (values.Contains(oidc.OperatorValue))
            {
                identity.AddClaim(new Claim(ClaimTypes.Role, DashboardRoles.Operator));
            }
            else if (values.Contains(oidc.ViewerValue))
            {
                identity.AddClaim(new Claim(ClaimTypes.Role, DashboardRoles.Viewer));
            }
            else
            {
                context.Fail("This account has neither the operator nor the viewer role of Sentiment.");
            }

            return Task.CompletedTask;
        };
        // A refused account, a cancelled login or a provider error: back to the login page with a word, not a 500.
        options.Events.OnRemoteFailure = context =>
        {
            context.Response.Redirect(LoginPath + "?failed=sso");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }
}
