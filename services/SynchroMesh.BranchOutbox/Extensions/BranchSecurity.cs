using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.BranchOutbox.Extensions;

/// <summary>
/// Who may call the branch's API: a till with a key of its own (<c>Authentication:ApiKeys</c>, role <c>till</c>).
/// The health endpoints stay open for probes. A branch without a till's key would refuse every sale, so it does not
/// start.
/// </summary>
public static class BranchSecurity
{
    public const string TillPolicy = "till";

    public static IHostApplicationBuilder AddBranchSecurity(this IHostApplicationBuilder builder)
    {
        var keys = ApiKeyOptions.Read(builder.Configuration, [Roles.Till]);
        if (keys.Clients.Count == 0)
        {
            var till = Setting.EnvironmentName($"{ApiKeyOptions.Section}:{{till}}:");
            throw new InvalidOperationException(
                $"{ApiKeyOptions.Section} holds no till's key, so the branch's API would refuse every sale: add one (env " +
                $"{till}{ApiKeyOptions.HashKey} and {till}{CredentialLayout.RoleKey}={Roles.Till}; see docs/security.md).");
        }

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName).AddApiKeys(keys);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TillPolicy, p => p.RequireRole(Roles.Till))
            // An endpoint that says nothing is the till's too: only the probes and the description say they are open.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(Roles.Till).Build());
        builder.Services.AddOpenApiSecurity(new Dictionary<string, OpenApiSecurityScheme>
        {
            [ApiKeyAuthenticationHandler.SchemeName] = new()
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyOptions.Header,
                Description = $"A till's key; the branch holds its SHA-256 in {ApiKeyOptions.Section}:{{till}}:{ApiKeyOptions.HashKey}.",
            },
        });
        return builder;
    }
}
