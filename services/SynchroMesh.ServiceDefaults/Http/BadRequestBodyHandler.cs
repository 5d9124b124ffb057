using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SynchroMesh.ServiceDefaults.Http;

/// <summary>
/// Turns a request body that cannot be read as JSON of the expected shape into a 400 problem response that
/// names the offending field, instead of the framework's bare 400.
/// </summary>
public sealed class BadRequestBodyHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var field = (badRequest.InnerException as JsonException)?.Path is { Length: > 0 } path ? path.TrimStart('$', '.') : "body";
        if (field.Length == 0)
        {
            field = "body";
        }

        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [field] = [badRequest.InnerException?.Message ?? badRequest.Message],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body is not valid.",
            },
        });
    }
}
