using Microsoft.AspNetCore.Antiforgery;
using SynchroMesh.ServiceDefaults.Security;

namespace SynchroMesh.HeadOfficeIngest.Security;

/// <summary>
/// An action called with the console's cookie must carry the page's antiforgery token (header <c>X-CSRF-Token</c>):
/// the cookie is the one credential a browser sends by itself, so another site could otherwise make a signed-in
/// operator's browser retry or discard. A call with its own credential (a key, a bearer token) needs none.
/// </summary>
public sealed class AntiforgeryForCookies(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Request.RidesOnCookie() && !await antiforgery.IsRequestValidAsync(context.HttpContext))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token",
                detail: "An action from the console must carry the page's token in the X-CSRF-Token header.");
        }

        return await next(context);
    }
}
