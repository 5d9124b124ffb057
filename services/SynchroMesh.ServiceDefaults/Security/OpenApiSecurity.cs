using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SynchroMesh.ServiceDefaults.Security;

public static class OpenApiSecurity
{
    /// <summary>
    /// Declares the service's security schemes in its OpenAPI document and, on every operation that needs a signed-in
    /// caller, requires any one of them and lists the 401 and 403 answers; an open operation says it needs nothing.
    /// </summary>
    public static IServiceCollection AddOpenApiSecurity(this IServiceCollection services, IReadOnlyDictionary<string, OpenApiSecurityScheme> schemes)
    {
        services.Configure<OpenApiOptions>("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                // The document describes the API wherever the service runs; a server address taken from the request that
                // fetched it would be wrong behind a proxy.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                foreach (var (name, scheme) in schemes)
                {
                    document.Components.SecuritySchemes[name] = scheme;
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
                {
                    // Open to anyone (a health endpoint): said so, with the one requirement that asks for nothing.
                    operation.Security = [new OpenApiSecurityRequirement()];
                    return Task.CompletedTask;
                }

                operation.Security ??= [];
                foreach (var name in schemes.Keys)
                {
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, context.Document)] = [] });
                }

                operation.Responses ??= new OpenApiResponses();
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No credential, or one the service does not accept." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "A credential whose role may not do this." });
                return Task.CompletedTask;
            });
        });
        return services;
    }
}
