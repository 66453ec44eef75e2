using Microsoft.Extensions.Logging;

namespace TenantCache.Internal;

/// <summary>
/// The engine's log events. Event ids are stable. Keys and tenant ids are never logged above Debug:
/// they can be personal data.
/// </summary>
internal static partial class Log
{
    // 1001/1002 are rate-limited (StoreFailureLog): the first failure per cause and interval, with the
    // count of the similar ones since the previous Warning; those are 1009/1010 at Debug, without the stack.
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Cache read failed ({Operation}) in application {Application}; served as a miss. {Suppressed} similar failures since {Since}; more in the next {IntervalSeconds} s are logged at Debug.")]
    public static partial void ReadFailed(ILogger logger, StoreOperation operation, string application, long suppressed, string since, double intervalSeconds, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Cache write failed ({Operation}) in application {Application}; the entry was not stored. {Suppressed} similar failures since {Since}; more in the next {IntervalSeconds} s are logged at Debug.")]
    public static partial void WriteFailed(ILogger logger, StoreOperation operation, string application, long suppressed, string since, double intervalSeconds, Exception exception);

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

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Cache read failed ({Operation}) in application {Application}: {ErrorType}: {Error}; served as a miss.")]
    public static partial void ReadFailedAgain(ILogger logger, StoreOperation operation, string application, string errorType, string error);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Cache write failed ({Operation}) in application {Application}: {ErrorType}: {Error}; the entry was not stored.")]
    public static partial void WriteFailedAgain(ILogger logger, StoreOperation operation, string application, string errorType, string error);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "A value could not be serialized in application {Application}; it was returned but not cached.")]
    public static partial void SerializationFailed(ILogger logger, string application, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "A version token's invalidation wait could not be lowered in application {Application} ({ErrorType}); the next invalidation of it waits longer.")]
    public static partial void TokenWaitNotLowered(ILogger logger, string application, string errorType);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "A factory failed in application {Application} ({ErrorType}); the last good value was returned (fail-safe).")]
    public static partial void FailSafeServed(ILogger logger, string application, string errorType);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "A factory ran past its timeout of {TimeoutMs} ms in application {Application}.")]
    public static partial void FactoryTimedOut(ILogger logger, double timeoutMs, string application);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Debug, Message = "A background recompute failed in application {Application} ({ErrorType}); the entry was not refreshed.")]
    public static partial void BackgroundRecomputeFailed(ILogger logger, string application, string errorType);
}
