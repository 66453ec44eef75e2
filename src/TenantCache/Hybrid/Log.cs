using Microsoft.Extensions.Logging;

namespace TenantCache.Hybrid;

/// <summary>The HybridCache adapter's log events (ids 1101–1199, stable). Keys and tenant ids are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "A cached value in application {Application} could not be read by the HybridCache serializer {Serializer}; it was computed again.")]
    public static partial void DeserializationFailed(ILogger logger, string application, string serializer, Exception exception);
}
