using Microsoft.AspNetCore.Authentication;

namespace SynchroMesh.ServiceDefaults.Security;

public static class SecurityExtensions
{
    /// <summary>The <see cref="ApiKeyAuthenticationHandler"/> scheme, accepting the keys of these clients.</summary>
    public static AuthenticationBuilder AddApiKeys(this AuthenticationBuilder authentication, ApiKeyOptions keys)
    {
        authentication.Services.AddSingleton(keys);
        return authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
    }
}
