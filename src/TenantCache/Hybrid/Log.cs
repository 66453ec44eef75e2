using Microsoft.Extensions.Logging;

namespace TenantCache.Hybrid;

/// <summary>The HybridCache adapter's log events (ids 1101–1199, stable). Keys and tenant ids are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "A cached value in application {Application} could not be read by the HybridCache serializer {Serializer}; it was computed again.")]
    public static partial void DeserializationFailed(ILogger logger, string application, string serializer, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "SetAsync of a value of {Bytes} bytes over the limit of {MaxBytes} bytes in application {Application}: not stored, and the entry it was to replace removed.")]
    public static partial void ValueTooLargeRemoved(ILogger logger, long bytes, long maxBytes, string application);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "SetAsync in application {Application} could not remove the entry a value over the limit was to replace; the store failed, and the old value may be served until it expires.")]
    public static partial void ReplacedEntryNotRemoved(ILogger logger, string application, Exception exception);
}
