using Microsoft.AspNetCore.Diagnostics;

namespace TenantCache.OriginSample;

/// <summary>
/// A clear that could not be recorded (the cache is down) answers 503 with a problem body: the caller
/// must know its data may still be served from the cache. Reads never get here: they fail open.
/// </summary>
public sealed class CacheUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not CacheInvalidationException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = 503, Title = "The cache could not be cleared; try again." },
        });
    }
}
