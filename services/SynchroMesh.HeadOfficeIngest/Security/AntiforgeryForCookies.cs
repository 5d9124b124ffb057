using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace SynchroMesh.HeadOfficeIngest.Security;

/// <summary>
/// An action called with the console's cookie must carry the page's antiforgery token (header <c>X-CSRF-Token</c>):
/// the cookie is the one credential a browser sends by itself, so another site could otherwise make a signed-in
/// operator's browser retry or discard. A call read by its own credential (a key, a bearer token of the configured
/// authority) needs none; any other Authorization header (Basic, say, which a browser may add by itself) does not
/// count as one.
/// </summary>
public sealed class AntiforgeryForCookies(IAntiforgery antiforgery, HeadOfficeAuthOptions settings) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HeadOfficeSecurity.SchemeOf(request, settings) == CookieAuthenticationDefaults.AuthenticationScheme &&
            !await antiforgery.IsRequestValidAsync(context.HttpContext))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token",
                detail: "An action from the console must carry the page's token in the X-CSRF-Token header.");
        }

        return await next(context);
    }
}
