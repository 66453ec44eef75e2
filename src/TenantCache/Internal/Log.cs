using Microsoft.Extensions.Logging;

namespace TenantCache.Internal;

/// <summary>
/// The engine's log events. Event ids are stable. Keys and tenant ids are never logged above Debug:
/// they can be personal data.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Cache read failed in application {Application}; served as a miss.")]
    public static partial void ReadFailed(ILogger logger, string application, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Cache write failed in application {Application}; the entry was not stored.")]
    public static partial void WriteFailed(ILogger logger, string application, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "A stored entry was rejected ({Cause}) in application {Application}; served as a miss. Further rejections for this cause are logged at Debug.")]
    public static partial void EntryRejectedFirst(ILogger logger, RejectCause cause, string application);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "A stored entry was rejected ({Cause}) for key {StoreKey}.")]
    public static partial void EntryRejected(ILogger logger, RejectCause cause, string storeKey);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "A value of {Bytes} bytes exceeds the limit of {MaxBytes} bytes in application {Application}; it was returned but not cached.")]
    public static partial void ValueTooLargeSkipped(ILogger logger, long bytes, long maxBytes, string application);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "An invalidation could not be recorded in application {Application}.")]
    public static partial void InvalidationFailed(ILogger logger, string application, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "A version token in application {Application} is unreadable and could not be created; the entry was not stored.")]
    public static partial void TokenUnavailable(ILogger logger, string application);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Renewing the sliding expiry of {StoreKey} failed.")]
    public static partial void TouchFailed(ILogger logger, string storeKey, Exception exception);
}
