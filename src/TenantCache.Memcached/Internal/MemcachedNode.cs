using Microsoft.Extensions.Logging;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// One server: a few pipelined connections used round-robin, opened lazily and replaced when they
/// fail, plus the server's health (see <c>MemcachedNode.Health.cs</c>).
/// </summary>
internal sealed partial class MemcachedNode : IAsyncDisposable
{
    private readonly NodeSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Task<MemcachedConnection>?[] _slots;
    private readonly Lock _slotLock = new();
    private readonly KeyValuePair<string, object?> _serverTag;
    private int _next;
    private int _itemSizeMax = ItemLimits.DefaultItemSizeMax;
    private bool _disposed;

    public MemcachedNode(ServerEndpoint endpoint, NodeSettings settings, TimeProvider timeProvider, ILogger logger)
    {
        Endpoint = endpoint;
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new Task<MemcachedConnection>?[settings.ConnectionsPerServer];
        _serverTag = MemcachedMetrics.ServerTag(endpoint.ToString());
    }

    public ServerEndpoint Endpoint { get; }

    /// <summary>The server's item_size_max as last read (1 MiB until the first connection).</summary>
    public int ItemSizeMax => Volatile.Read(ref _itemSizeMax);

    /// <summary>Whether a connection has ever reported the server's settings.</summary>
    public bool HasSettings => Settings is not null;

    /// <summary>The server's <c>stats settings</c> from the latest connection, or null before the first.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; private set; }

    /// <summary>
    /// Returns a healthy connection, opening one if needed. Throws at once while the server is marked
    /// down, except for the single caller chosen to probe it.
    /// </summary>
    public ValueTask<MemcachedConnection> AcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsDown)
        {
            return ProbeOrThrowAsync(cancellationToken);
        }

        int slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length);
        Task<MemcachedConnection>? current = Volatile.Read(ref _slots[slot]);
        if (current is { IsCompletedSuccessfully: true } && current.Result.IsHealthy)
        {
            return new ValueTask<MemcachedConnection>(current.Result);
        }

        return new ValueTask<MemcachedConnection>(ConnectSlot(slot).WaitAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        Task<MemcachedConnection>?[] slots;
        lock (_slotLock)
        {
            _disposed = true;
            slots = [.. _slots];
        }

        foreach (Task<MemcachedConnection>? slot in slots)
        {
            if (slot is { IsCompletedSuccessfully: true })
            {
                await slot.Result.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Returns the slot's live connection or the attempt in progress, starting one if needed.</summary>
    private Task<MemcachedConnection> ConnectSlot(int slot)
    {
        lock (_slotLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Task<MemcachedConnection>? current = _slots[slot];
            if (current is not null && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsHealthy)))
            {
                return current;
            }

            Task<MemcachedConnection> attempt = OpenAsync();
            _slots[slot] = attempt;
            return attempt;
        }
    }

    private async Task<MemcachedConnection> OpenAsync()
    {
        try
        {
            MemcachedConnection connection = await MemcachedConnection.ConnectAsync(
                Endpoint, _settings.ConnectTimeout, _timeProvider, _logger, OnConnectionFailed).ConfigureAwait(false);
            Settings = connection.Settings;
            Volatile.Write(ref _itemSizeMax, connection.ItemSizeMax);
            bool disposed;
            lock (_slotLock)
            {
                disposed = _disposed;
            }

            if (disposed)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new ObjectDisposedException(nameof(MemcachedNode));
            }

            return connection;
        }
        catch (MemcachedException e)
        {
            Log.ConnectFailed(_logger, Endpoint, e);
            RecordFailure();
            throw;
        }
    }

    private void OnConnectionFailed(MemcachedConnection connection, Exception exception) => RecordFailure();
}
