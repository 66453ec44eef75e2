using Microsoft.Extensions.Logging;

namespace TenantCache.Cli.Check;

/// <summary>
/// The logger the checker gives the engine: it attributes the engine's fail-open events to the
/// operation running in the same asynchronous flow (<see cref="Current"/>), so the judge knows which
/// reads and writes met a store error (and must not count as evidence of a hit or a stored value).
/// </summary>
internal sealed class OperationLogger : ILogger<ApplicationCache>
{
    // Event ids of TenantCache.Internal.Log.
    private const int ReadFailed = 1001;
    private const int WriteFailed = 1002;
    private const int EntryRejectedFirst = 1003;
    private const int EntryRejected = 1004;
    private const int ValueTooLargeSkipped = 1005;
    private const int TokenUnavailable = 1007;
    private const int ReadFailedSuppressed = 1009; // the rate-limited repeats of 1001 and 1002
    private const int WriteFailedSuppressed = 1010;
    private const int SerializationSkipped = 1011;

    private long _storeErrors;
    private long _rejections;

    public static AsyncLocal<Operation?> Current { get; } = new();

    public long StoreErrors => Interlocked.Read(ref _storeErrors);

    public long Rejections => Interlocked.Read(ref _rejections);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var op = Current.Value;
        switch (eventId.Id)
        {
            case ReadFailed or WriteFailed or ReadFailedSuppressed or WriteFailedSuppressed or ValueTooLargeSkipped or TokenUnavailable or SerializationSkipped:
                Interlocked.Increment(ref _storeErrors);
                if (op is not null)
                {
                    op.StoreErrors++;
                }

                break;
            case EntryRejectedFirst or EntryRejected:
                Interlocked.Increment(ref _rejections);
                if (op is not null)
                {
                    op.Rejections++;
                }

                break;
        }
    }
}
