using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;

namespace SynchroMesh.HeadOfficeIngest.Console;

/// <summary>
/// The console's sign-in page (a local account's name and password, or the identity provider) and sign-out. Forms
/// carry an antiforgery token, so another site cannot sign a visitor in or out.
/// </summary>
public static partial class SignInEndpoints
{
    private static readonly Lazy<string> UnknownNameHash = new(() => OperatorPasswords.Hash(Guid.NewGuid().ToString("N")));

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(HeadOfficeSecurity.SignInPath).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/", ShowForm);
        group.MapPost("/", SignInAsync).RequireRateLimiting(HeadOfficeSecurity.SignInRateLimit);
        group.MapGet("/sso", SingleSignOn);
        app.MapPost(HeadOfficeSecurity.SignOutPath, SignOutAsync).RequireAuthorization(HeadOfficeSecurity.ReaderPolicy).ExcludeFromDescription();
        return app;
    }

    private static IResult ShowForm(HttpContext context, IAntiforgery antiforgery, HeadOfficeAuthOptions settings, string? returnUrl = null, bool failed = false)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var target = LocalOrConsole(returnUrl);
        var html = HtmlEncoder.Default;
        var sso = settings.Oidc is { } oidc
            ? $"""<p><a class="button" href="{HeadOfficeSecurity.SignInPath}/sso?returnUrl={UrlEncoder.Default.Encode(target)}">Sign in with {html.Encode(oidc.DisplayName)}</a></p>"""
            : "";
        var local = settings.Operators.Count == 0 ? "" : $"""
            <form method="post" action="{HeadOfficeSecurity.SignInPath}">
              <input type="hidden" name="{html.Encode(tokens.FormFieldName)}" value="{html.Encode(tokens.RequestToken!)}">
              <input type="hidden" name="returnUrl" value="{html.Encode(target)}">
              <label>Name <input name="name" autocomplete="username" required autofocus></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            """;
        var error = failed ? """<p class="error" role="alert">That name and password do not match an operator account.</p>""" : "";
        if (settings.Oidc is null && settings.Operators.Count == 0)
        {
            error += $"""<p class="error" role="alert">No sign-in for people is configured here ({OidcSettings.Section} or {OperatorPasswords.Section}); programs use their keys or tokens.</p>""";
        }
        return ConsolePages.Html(context, "Sign in", $"""
            <main class="sign-in">
              <h1>SynchroMesh head office</h1>
              {error}{sso}{local}
            </main>
            """);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, HeadOfficeAuthOptions settings, ILoggerFactory loggers,
        [FromForm] string name, [FromForm] string password, [FromForm] string? returnUrl)
    {
        var log = loggers.CreateLogger(typeof(SignInEndpoints));
        var target = LocalOrConsole(returnUrl);
        // An unknown name costs the same work as a wrong password: the answer's time says nothing about which names exist.
        var known = settings.Operators.TryGetValue(name, out var account);
        if (!OperatorPasswords.Verify(known ? account!.PasswordHash : UnknownNameHash.Value, password) || !known)
        {
            LogSignInRefused(log, name, context.Connection.RemoteIpAddress?.ToString());
            return Results.Redirect($"{HeadOfficeSecurity.SignInPath}?failed=true&returnUrl={UrlEncoder.Default.Encode(target)}");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, account!.Name), new Claim(ClaimTypes.Role, account.Role), new Claim(HeadOfficeSecurity.LocalAccountClaim, account.Name)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        LogSignedIn(log, account.Name, account.Role);
        return Results.Redirect(target);
    }

    private static IResult SingleSignOn(HeadOfficeAuthOptions settings, string? returnUrl = null) =>
        settings.Oidc is null
            ? Results.NotFound()
            : Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrConsole(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]);

    // The form (empty but for its antiforgery token) is what makes the framework check the token.
    private static async Task<IResult> SignOutAsync(HttpContext context, IFormCollection form)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(HeadOfficeSecurity.SignInPath);
    }

    /// <summary>
    /// Only a path of this site: a sign-in link must not be able to send a person elsewhere afterwards. No second
    /// slash or backslash after the first, and no control character or space anywhere (browsers drop tabs and line
    /// breaks from a URL, so <c>/\t/evil.example</c> would become <c>//evil.example</c>).
    /// </summary>
    public static string LocalOrConsole(string? returnUrl) =>
        returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] != '/' && !returnUrl.Any(c => c <= ' ' || c == '\\' || char.IsControl(c))
            ? returnUrl
            : HeadOfficeSecurity.ConsolePath;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in refused for {Name} from {Address}")]
    private static partial void LogSignInRefused(ILogger logger, string name, string? address);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} signed in to the console as {Role}")]
    private static partial void LogSignedIn(ILogger logger, string name, string role);
}
