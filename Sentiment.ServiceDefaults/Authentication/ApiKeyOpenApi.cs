using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sentiment.ServiceDefaults.Authentication;

public static class ApiKeyOpenApi
{
    /// <summary>Says in the OpenAPI document that every operation takes an API key as a bearer token.</summary>
    public static OpenApiOptions AddApiKeySecurity(this OpenApiOptions options, string description)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = description,
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [] },
            ];
            return Task.CompletedTask;
        });
        return options;
    }
}
