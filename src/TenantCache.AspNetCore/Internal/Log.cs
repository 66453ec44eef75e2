using Microsoft.Extensions.Logging;

namespace TenantCache.AspNetCore.Internal;

/// <summary>Log events of the ASP.NET Core integration (ids 3001–3099). Keys and tenant ids only at Debug.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "A response of application {Application} was not cached ({Reason}). Further responses not cached for this reason are logged at Debug.")]
    public static partial void ResponseNotStoredFirst(ILogger logger, string application, string reason, Exception? exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "A response was not cached ({Reason}).")]
    public static partial void ResponseNotStored(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "No tenant for this request: the response is neither looked up nor stored in the output cache.")]
    public static partial void NoTenant(ILogger logger);
}
