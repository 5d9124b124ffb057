using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.OpenApi;

namespace SynchroMesh.HeadOfficeIngest.Security;

/// <summary>
/// Who may use the head office's console and APIs. People sign in to the console with a cookie (through the identity
/// provider, or a local account); programs send a key (<c>X-Api-Key</c>) or a bearer token. Anonymous calls to an API
/// get 401, a role that may not get 403; a person's browser is sent to the sign-in page instead. <c>/health/*</c>
/// stays open for probes.
/// </summary>
public static class HeadOfficeSecurity
{
    /// <summary>The console and the read APIs: operators, viewers and reporting clients.</summary>
    public const string ReaderPolicy = "reader";

    /// <summary>Actions that change something (retry, discard): operators only.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>The console's pages; under it, its sign-in and sign-out, its assets and the API its script reads.</summary>
    public const string ConsolePath = "/console";
    public const string SignInPath = ConsolePath + "/sign-in";
    public const string SignOutPath = ConsolePath + "/sign-out";
    public const string AssetsPath = ConsolePath + "/assets";
    public const string ConsoleApiPath = ConsolePath + "/api";

    /// <summary>The sign-in form's rate limit: per client address.</summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>On a person signed in with a local account: the account's name, checked again on every request.</summary>
    public const string LocalAccountClaim = "synchromesh:local-account";

    /// <summary>However active, a person signs in again after this long.</summary>
    public static readonly TimeSpan AbsoluteSessionLifetime = TimeSpan.FromHours(12);

    private const string SelectorScheme = "head-office";
    private const string CookieName = "synchromesh-console";

    public static IHostApplicationBuilder AddHeadOfficeSecurity(this IHostApplicationBuilder builder)
    {
        var settings = HeadOfficeAuthOptions.Read(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);

        var authentication = services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "the credential the request carries", o => o.ForwardDefaultSelector = context => SchemeOf(context.Request, settings))
            .AddApiKeys(settings.ApiKeys)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                // Lax, not Strict: a person coming back from the identity provider arrives by a cross-site redirect, on
                // which a Strict cookie is not sent. Actions are guarded by the antiforgery token, not by this.
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(2);
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                o.Events.OnValidatePrincipal = context => StillValidAsync(context, settings);
                o.Events.OnRedirectToLogin = context => AnswerOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => AnswerOrRedirect(context, StatusCodes.Status403Forbidden);
            });

        if (settings.Oidc is { } oidc)
        {
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = oidc.Authority.ToString();
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                // The code comes back in the query of a top-level redirect, so the correlation and nonce cookies can
                // be Lax (a form post from the provider would need SameSite=None, which browsers take over HTTPS only).
                o.ResponseMode = "query";
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.RequireHttpsMetadata = oidc.Authority.Scheme == Uri.UriSchemeHttps || !oidc.Authority.IsLoopback;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.Events.OnTokenValidated = context =>
                {
                    context.Principal!.AddIdentity(new ClaimsIdentity(RolesOf(context.Principal, oidc).Select(r => new Claim(ClaimTypes.Role, r))));
                    return Task.CompletedTask;
                };
            });
        }

        if (settings.Jwt is { } jwt)
        {
            authentication.AddJwtBearer(o =>
            {
                o.Authority = jwt.Authority.ToString();
                o.Audience = jwt.Audience;
                o.RequireHttpsMetadata = jwt.Authority.Scheme == Uri.UriSchemeHttps || !jwt.Authority.IsLoopback;
                o.MapInboundClaims = false;
                // Any token the authority issued for this audience is a reporting client's.
                o.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        context.Principal!.AddIdentity(new ClaimsIdentity([new Claim(ClaimTypes.Role, Roles.Reporting)]));
                        return Task.CompletedTask;
                    },
                };
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(ReaderPolicy, p => p.RequireRole(HeadOfficeAuthOptions.KnownRoles))
            .AddPolicy(OperatorPolicy, p => p.RequireRole(Roles.Operator))
            // An endpoint that says nothing is for a signed-in caller: open ones (probes, sign-in, assets) say so.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddDataProtection()
            .SetApplicationName("SynchroMesh.HeadOffice")
            .PersistKeysToDbContext<HeadOfficeDbContext>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = CookieName + "-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = "X-CSRF-Token";
        });

        var schemes = new Dictionary<string, OpenApiSecurityScheme>
        {
            [ApiKeyAuthenticationHandler.SchemeName] = new()
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyOptions.Header,
                Description = $"A reporting client's key; the head office holds its SHA-256 in {ApiKeyOptions.Section}:{{client}}:{ApiKeyOptions.HashKey}.",
            },
            ["console"] = new()
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = CookieName,
                Description = $"A person signed in at {SignInPath} (identity provider or local account).",
            },
        };
        if (settings.Jwt is not null)
        {
            schemes[JwtBearerDefaults.AuthenticationScheme] = new()
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = $"A token of the configured authority ({JwtSettings.Section}:Authority) for the head office's audience.",
            };
        }

        services.AddOpenApiSecurity(schemes);

        // The key ring lives in the database, which the head office migrates after it has started: DataProtection's own
        // read of it at start-up (a hosted service, added again by every AddDataProtection that authentication and
        // antiforgery make, hence here, last) only logs an error on a fresh database. The ring is read at its first use
        // instead: a sign-in or a signed-in request.
        var keyRingAtStart = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Assembly == typeof(DataProtectionOptions).Assembly).ToList();
        foreach (var descriptor in keyRingAtStart)
        {
            services.Remove(descriptor);
        }

        return builder;
    }

    /// <summary>
    /// Which scheme reads the request's credential: its key, its bearer token (when an authority is configured), or
    /// else the console's cookie. The antiforgery check asks the same question.
    /// </summary>
    public static string SchemeOf(HttpRequest request, HeadOfficeAuthOptions settings) =>
        request.Headers.ContainsKey(ApiKeyOptions.Header) ? ApiKeyAuthenticationHandler.SchemeName
        : settings.Jwt is not null && request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? JwtBearerDefaults.AuthenticationScheme
            : CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>
    /// A session ends after <see cref="AbsoluteSessionLifetime"/> however active, and a local account's session as
    /// soon as the account is gone or has another role in the configuration.
    /// </summary>
    private static async Task StillValidAsync(CookieValidatePrincipalContext context, HeadOfficeAuthOptions settings)
    {
        var principal = context.Principal!;
        var tooOld = context.Properties.IssuedUtc is { } issued && DateTimeOffset.UtcNow - issued > AbsoluteSessionLifetime;
        var local = principal.FindFirst(LocalAccountClaim)?.Value;
        var accountChanged = local is not null &&
                             (!settings.Operators.TryGetValue(local, out var account) || !principal.IsInRole(account.Role));
        if (tooOld || accountChanged)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>The head office's roles a person holds by the identity provider's claims.</summary>
    private static IEnumerable<string> RolesOf(ClaimsPrincipal principal, OidcSettings oidc)
    {
        var values = principal.FindAll(oidc.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (values.Contains(oidc.OperatorRole))
        {
            yield return Roles.Operator;
        }

        if (values.Contains(oidc.ViewerRole))
        {
            yield return Roles.Viewer;
        }
    }

    /// <summary>A person's visit to a console page goes to the sign-in page; every other request gets the bare status.</summary>
    private static Task AnswerOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var request = context.Request;
        var page = HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments(ConsolePath) &&
                   !request.Path.StartsWithSegments(ConsoleApiPath);
        if (page && status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.Append("WWW-Authenticate", $"{ApiKeyAuthenticationHandler.SchemeName} header=\"{ApiKeyOptions.Header}\"");
        }

        return Task.CompletedTask;
    }
}
