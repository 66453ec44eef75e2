using Microsoft.Extensions.Logging;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Source-generated log messages with stable event ids (28xx). Keys and values are never logged here:
/// they can be personal data.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2801, Level = LogLevel.Debug, Message = "Connected to memcached {Server} (item_size_max {ItemSizeMax}, cas_enabled {CasEnabled})")]
    public static partial void Connected(ILogger logger, ServerEndpoint server, int itemSizeMax, string casEnabled);

    [LoggerMessage(EventId = 2802, Level = LogLevel.Warning, Message = "Could not connect to memcached {Server}")]
    public static partial void ConnectFailed(ILogger logger, ServerEndpoint server, Exception exception);

    [LoggerMessage(EventId = 2803, Level = LogLevel.Warning, Message = "Closed the connection to memcached {Server}; {InFlight} requests in flight failed")]
    public static partial void ConnectionFailed(ILogger logger, ServerEndpoint server, int inFlight, Exception exception);

    [LoggerMessage(EventId = 2804, Level = LogLevel.Warning, Message = "Memcached {Server} marked down after {Failures} consecutive failures; next probe in {RetryDelay}")]
    public static partial void NodeDown(ILogger logger, ServerEndpoint server, int failures, TimeSpan retryDelay);

    [LoggerMessage(EventId = 2805, Level = LogLevel.Information, Message = "Memcached {Server} is back up")]
    public static partial void NodeUp(ILogger logger, ServerEndpoint server);

    [LoggerMessage(EventId = 2806, Level = LogLevel.Warning, Message = "Memcached {Server} answered SERVER_ERROR {ServerMessage}")]
    public static partial void ServerError(ILogger logger, ServerEndpoint server, string serverMessage);

    [LoggerMessage(EventId = 2807, Level = LogLevel.Warning, Message = "Memcached {Server} runs with CAS disabled (-C); compare-and-swap will not work")]
    public static partial void CasDisabled(ILogger logger, ServerEndpoint server);

    [LoggerMessage(EventId = 2808, Level = LogLevel.Warning, Message = "Memcached credentials are configured without TLS: the password crosses the network in plaintext (set MemcachedOptions.Tls.Enabled)")]
    public static partial void CredentialsWithoutTls(ILogger logger);

    [LoggerMessage(EventId = 2809, Level = LogLevel.Warning, Message = "Memcached {Server} does not ask for authentication although credentials are configured; they were not sent")]
    public static partial void AuthenticationNotRequired(ILogger logger, ServerEndpoint server);

    [LoggerMessage(EventId = 2810, Level = LogLevel.Warning, Message = "Memcached {Server} could not be reached at startup ({Reason}); starting anyway, reads miss until it answers")]
    public static partial void UnreachableAtStartup(ILogger logger, ServerEndpoint server, string reason);
}
