using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using TenantCache.Stores;

namespace TenantCache.Internal;

/// <summary>
/// The whole cache algorithm of DESIGN.md for one application: keys, envelopes, version tokens,
/// batching, single-flight. Knows nothing of sockets; talks to an <see cref="ICacheStore"/>.
/// </summary>
internal sealed partial class CacheEngine
{
    private readonly ICacheStore _store;
    private readonly TenantCacheOptions _options;
    private readonly ICacheSerializer _serializer;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, object> _flights = new(StringComparer.Ordinal);
    private readonly int[] _rejectionsLogged = new int[Enum.GetValues<RejectCause>().Length];
    private readonly DeadlinePool _deadlines;
    private readonly StoreFailureLog _failureLog;
    private readonly TokenTable _tokens;
    private readonly ICasCacheStore? _casStore;
    private readonly LocalCopies? _copies;
    private readonly ILeaseCacheStore? _leaseStore;

    public CacheEngine(ICacheStore store, TenantCacheOptions options, ILogger logger, TimeProvider time)
    {
        _store = store;
        _options = options;
        _serializer = options.Serializer ?? new SystemTextJsonCacheSerializer();
        _logger = logger;
        _time = time;
        _deadlines = new DeadlinePool(time);
        _failureLog = new StoreFailureLog(time);
        // The in-process store with no window asked for works as before the window existed: tokens read on
        // every read, blind invalidations that never wait (one process: nobody else reuses its tokens).
        _casStore = store is MemoryCacheStore && options.TokenReuseWindow is null ? null : store as ICasCacheStore;
        var window = _casStore is null
            ? TimeSpan.Zero // no flags to record the windows in: never reuse
            : options.TokenReuseWindow ?? TenantCacheOptions.DefaultTokenReuseWindow;
        _tokens = new TokenTable(time, window, TokenSlots) { Depart = (key, flight) => _ = DepartSharedFetchAsync(key, flight) };
        _copies = _casStore is not null && options.LocalCopy.MaxBytes > 0 ? new LocalCopies(options.LocalCopy.MaxBytes, options.Application) : null;
        // Leases: on by default where another process may compute the same key; the in-process store has one process.
        _leaseStore = options.Leases.Enabled ?? store is not MemoryCacheStore ? store as ILeaseCacheStore : null;
        Root = ScopePath.ForApplication(options.Application);
    }

    /// <summary>Whether get-or-create takes recompute leases (fleet-wide single flight).</summary>
    internal bool UsesLeases => _leaseStore is not null;

    /// <summary>How many version keys the token table follows at most; beyond, keys are read every time.</summary>
    internal const int TokenSlots = 100_000;

    public ScopePath Root { get; }

    /// <summary>The in-process copies, when this engine keeps any.</summary>
    internal LocalCopies? Copies => _copies;

    /// <summary>The token reuse window in force (Δ): the option, or the store's default.</summary>
    public TimeSpan TokenReuseWindow => _tokens.Window;

    public TenantCacheOptions Options => _options;

    public string Application => Root.Application;

    /// <summary>The largest envelope this engine writes: the option, bounded by the store's limit.</summary>
    public int MaxEnvelopeBytes =>
        _options.MaxValueBytes > 0 ? Math.Min(_options.MaxValueBytes, _store.MaxValueLength) : _store.MaxValueLength;

    /// <summary>A fresh random version token; never zero, which stands for "missing".</summary>
    internal static ulong NewToken()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong token;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            token = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        }
        while (token == 0);
        return token;
    }

    /// <summary>The token a version key holds, or 0 when it is missing or unreadable (I4: both are misses).</summary>
    internal static ulong ParseToken(in StoreItem item)
    {
        if (!item.Found || item.Value.Length != 8)
        {
            return 0;
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(item.Value.Span);
    }

    /// <summary>
    /// Starts one public call's deadline (<see cref="TenantCacheOptions.OperationTimeout"/>); none when
    /// it is infinite. Every call that starts one ends it with <see cref="EndCall"/>.
    /// </summary>
    private StoreCall BeginCall(CancellationToken cancellationToken)
    {
        var timeout = _options.OperationTimeout;
        return timeout == Timeout.InfiniteTimeSpan
            ? new StoreCall(null, cancellationToken)
            : new StoreCall(_deadlines.Rent(timeout, cancellationToken), cancellationToken);
    }

    private void EndCall(in StoreCall call)
    {
        if (call.Deadline is { } deadline)
        {
            _deadlines.Return(deadline);
        }
    }

    private void Reject(RejectCause cause, string storeKey)
    {
        CacheMetrics.Rejected(Application);
        if (Interlocked.Exchange(ref _rejectionsLogged[(int)cause], 1) == 0)
        {
            Log.EntryRejectedFirst(_logger, cause, Application);
        }
        else
        {
            Log.EntryRejected(_logger, cause, storeKey);
        }
    }

    private static void ThrowStoreError(Exception exception)
    {
        if (exception is CacheStoreException)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
        }

        throw new CacheStoreException("The cache store failed.", exception);
    }

    private void StoreFailedOnRead(StoreOperation operation, Exception exception)
    {
        CacheMetrics.StoreError(Application);
        CacheActivities.StoreFailed(exception);
        LogStoreFailure(write: false, operation, exception);
        if (_options.ThrowOnStoreErrors)
        {
            ThrowStoreError(exception);
        }
    }

    private void StoreFailedOnWrite(StoreOperation operation, Exception exception)
    {
        CacheMetrics.StoreError(Application);
        CacheMetrics.SkippedWrite(Application);
        CacheActivities.StoreFailed(exception);
        LogStoreFailure(write: true, operation, exception);
        if (_options.ThrowOnStoreErrors)
        {
            ThrowStoreError(exception);
        }
    }

    /// <summary>Rate-limited (<see cref="StoreFailureLog"/>): a Warning with the stack per cause and interval, else a Debug line without it.</summary>
    private void LogStoreFailure(bool write, StoreOperation operation, Exception exception)
    {
        if (_failureLog.ShouldWarn(operation, exception, out var suppressed, out var since))
        {
            if (!_logger.IsEnabled(LogLevel.Warning))
            {
                return;
            }

            var from = since is { } at ? at.ToString("O", CultureInfo.InvariantCulture) : "the start";
            var interval = StoreFailureLog.Interval.TotalSeconds;
            if (write)
            {
                Log.WriteFailed(_logger, operation, Application, suppressed, from, interval, exception);
            }
            else
            {
                Log.ReadFailed(_logger, operation, Application, suppressed, from, interval, exception);
            }
        }
        else if (_logger.IsEnabled(LogLevel.Debug))
        {
            var type = exception.GetType().Name;
            if (write)
            {
                Log.WriteFailedAgain(_logger, operation, Application, type, exception.Message);
            }
            else
            {
                Log.ReadFailedAgain(_logger, operation, Application, type, exception.Message);
            }
        }
    }
}
