using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SynchroMesh.ServiceDefaults.Security;

public static class SecurityExtensions
{
    /// <summary>The <see cref="ApiKeyAuthenticationHandler"/> scheme, accepting the keys of these clients.</summary>
    public static AuthenticationBuilder AddApiKeys(this AuthenticationBuilder authentication, ApiKeyOptions keys)
    {
        authentication.Services.AddSingleton(keys);
        return authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
    }

    /// <summary>
    /// Whether the request carries no credential of its own (no key, no Authorization header), so it can only be
    /// signed in by a cookie: the one kind of credential a browser sends by itself, which is what a cross-site request
    /// would ride on.
    /// </summary>
    public static bool RidesOnCookie(this HttpRequest request) =>
        request.Headers.Authorization.Count == 0 && !request.Headers.ContainsKey(ApiKeyOptions.Header);
}
