using Microsoft.Extensions.Logging;

namespace TenantCache.Redis.Internal;

/// <summary>The Redis store's log events (3001–3099). Never a key, a value or a secret: servers by endpoint only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Redis {Server}: {Hazard} An invalidation can then be undone (docs/redis.md, \"Guarantees and hazards\").")]
    public static partial void ServerHazard(ILogger logger, string server, string hazard);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Redis {Server}: its configuration could not be read ({ErrorType}); persistence and replication not checked.")]
    public static partial void ConfigurationUnreadable(ILogger logger, string server, string errorType);
}
