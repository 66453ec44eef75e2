using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using TenantCache.Internal;
using TenantCache.Tenancy;

namespace TenantCache.Distributed;

/// <summary>
/// <see cref="IBufferDistributedCache"/> over one <see cref="ICacheScope"/>: an application, a fixed
/// tenant or the current tenant. Keys go through the engine (encoded injectively, isolated per scope),
/// values are stored as raw bytes in the engine's envelope, expirations are the engine's.
/// </summary>
/// <remarks>
/// A set that follows a get miss of the same key within <see cref="RecentMissTokens.Window"/> is stamped
/// with the version tokens that miss read (see <see cref="RecentMissTokens"/>), so an invalidation that
/// returns between the two makes the entry dead (I1), as for <c>GetOrCreate</c>. Store failures follow the engine's policy (I5): a read is a miss and a write is skipped, logged and
/// counted, unless <see cref="TenantCacheOptions.ThrowOnStoreErrors"/> is set; <see cref="Remove"/>
/// throws <see cref="CacheInvalidationException"/>. A value too large for the store throws
/// <see cref="CacheValueTooLargeException"/> before anything is sent.
/// </remarks>
internal sealed class ScopeDistributedCache : IBufferDistributedCache
{
    private readonly ICacheScope _scope;

    public ScopeDistributedCache(ICacheScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        _scope = scope;
    }

    public byte[]? Get(string key) => SyncWait.Result(GetCoreAsync(key, CancellationToken.None));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GetCoreAsync(key, token).AsTask();

    public bool TryGet(string key, IBufferWriter<byte> destination) =>
        SyncWait.Result(TryGetCoreAsync(key, destination, CancellationToken.None));

    public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default) =>
        TryGetCoreAsync(key, destination, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        SyncWait.Complete(SetCoreAsync(key, value, options, CancellationToken.None));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        SetCoreAsync(key, value, options, token).AsTask();

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) =>
        SyncWait.Complete(SetCoreAsync(key, value, options, CancellationToken.None));

    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        SetCoreAsync(key, value, options, token);

    public void Refresh(string key) => SyncWait.Complete(RefreshCoreAsync(key, CancellationToken.None));

    public Task RefreshAsync(string key, CancellationToken token = default) => RefreshCoreAsync(key, token).AsTask();

    public void Remove(string key) => SyncWait.Complete(RemoveCoreAsync(key, CancellationToken.None));

    public Task RemoveAsync(string key, CancellationToken token = default) => RemoveCoreAsync(key, token).AsTask();

    public override string ToString() => $"IDistributedCache over {_scope}";

    private ValueTask<byte[]?> GetCoreAsync(string key, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pending = GetRememberingMissAsync<byte[]>(key, token);
        return pending.IsCompletedSuccessfully ? new(ValueOrNull(pending.Result)) : AwaitAsync(pending);

        static async ValueTask<byte[]?> AwaitAsync(ValueTask<CacheResult<byte[]>> pending) =>
            ValueOrNull(await pending.ConfigureAwait(false));

        static byte[]? ValueOrNull(CacheResult<byte[]> result) => result.HasValue ? result.Value : null;
    }

    private ValueTask<bool> TryGetCoreAsync(string key, IBufferWriter<byte> destination, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(destination);

        // The payload is the store's own buffer (no copy); it is copied once, into the destination.
        var pending = GetRememberingMissAsync<ReadOnlyMemory<byte>>(key, token);
        return pending.IsCompletedSuccessfully ? new(CopyTo(pending.Result, destination)) : AwaitAsync(pending, destination);

        static async ValueTask<bool> AwaitAsync(ValueTask<CacheResult<ReadOnlyMemory<byte>>> pending, IBufferWriter<byte> destination) =>
            CopyTo(await pending.ConfigureAwait(false), destination);

        static bool CopyTo(CacheResult<ReadOnlyMemory<byte>> result, IBufferWriter<byte> destination)
        {
            if (!result.TryGetValue(out var payload))
            {
                return false; // nothing is written to the destination on a miss
            }

            destination.Write(payload.Span);
            return true;
        }
    }

    private ValueTask SetCoreAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        return SetAfterMissAsync(key, value, options, token);
    }

    private ValueTask SetCoreAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);

        // Written segment by segment into the envelope: a multi-segment value is never linearized first.
        return SetAfterMissAsync(key, value, options, token);
    }

    /// <summary>
    /// Gets through the engine, which remembers the tokens a miss read (the caller may compute the value
    /// and set it next: HybridCache's L2, session state); a scope of another implementation is read as such.
    /// </summary>
    private ValueTask<CacheResult<T>> GetRememberingMissAsync<T>(string key, CancellationToken token)
    {
        return EngineScope.Of(_scope) is { } engine
            ? ScopeOperations.GetRememberingMissAsync<T>(engine.Engine, engine.ScopePath, key, token)
            : _scope.GetAsync<T>(key, token);
    }

    /// <summary>Sets stamped with the tokens a recent miss of the key read (I1 across get → compute → set), else as a plain set.</summary>
    private ValueTask SetAfterMissAsync<T>(string key, T value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        var entry = DistributedEntryOptions.ToEntryOptions(options);
        return EngineScope.Of(_scope) is { } engine
            ? ScopeOperations.SetAfterMissAsync(engine.Engine, engine.ScopePath, key, value, entry, token)
            : _scope.SetAsync(key, value, entry, token);
    }

    private ValueTask RefreshCoreAsync(string key, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);

        // A hit on a sliding entry renews it (the engine touches the data key); reading first means a
        // stale or invalidated entry is never renewed.
        var pending = _scope.GetAsync<ReadOnlyMemory<byte>>(key, token);
        return pending.IsCompletedSuccessfully ? ValueTask.CompletedTask : AwaitAsync(pending);

        static async ValueTask AwaitAsync(ValueTask<CacheResult<ReadOnlyMemory<byte>>> pending) =>
            await pending.ConfigureAwait(false);
    }

    private ValueTask RemoveCoreAsync(string key, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _scope.RemoveAsync(key, token);
    }
}
