using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SynchroMesh.ServiceDefaults.Http;

/// <summary>
/// A request that needs the database while it is unreachable, or not migrated yet, gets a 503 problem with
/// <c>Retry-After</c> instead of a bare 500: the caller (a till, an operator's script) can tell "try again in a
/// moment" from a defect.
/// </summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var readiness = httpContext.RequestServices.GetService<DatabaseReadiness>();
        var unavailable = IsTransient(exception)
            || (readiness is { IsMigrated: false } && exception is NpgsqlException or InvalidOperationException);
        if (!unavailable)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is not available yet; nothing was stored. Retry later.",
            },
        });
    }

    /// <summary>
    /// Whether a transient database failure is anywhere in the chain: EF's retrying strategy, once its retries are spent,
    /// wraps it in an <see cref="InvalidOperationException"/>, and the innermost exception is then a socket's.
    /// </summary>
    private static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
