using Microsoft.Extensions.Caching.Hybrid;
using TenantCache.Internal;

namespace TenantCache.Hybrid;

internal sealed partial class TenantHybridCache
{
    /// <inheritdoc />
    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        Guard.Key(key, nameof(key));
        ArgumentNullException.ThrowIfNull(factory);
        var target = Resolve();
        var entry = HybridEntry.Resolve(options, tags, _defaults);
        var plan = target.Plan(entry.Options);
        return _serializers.Get<T>() is { } serializer
            ? RunAsync(target, key, state, factory, entry, plan, new SerializerForm<T>(serializer, _logger, target.Application), cancellationToken)
            : RunAsync(target, key, state, factory, entry, plan, EngineForm<T>.Instance, cancellationToken);
    }

    /// <summary>
    /// The span-keyed overload. Without an in-process tier there is no hit to serve without the key
    /// as a string (the store key is derived from it), so it is materialized once here.
    /// </summary>
    public override ValueTask<T> GetOrCreateAsync<TState, T>(
        ReadOnlySpan<char> key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default) =>
        GetOrCreateAsync(key.ToString(), state, factory, options, tags, cancellationToken);

    /// <summary>
    /// Writes an entry. A value over the store's limit does not throw (as in Microsoft's HybridCache): it
    /// is logged and not stored, and the entry it was to replace is removed.
    /// </summary>
    public override async ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        Guard.Key(key, nameof(key));
        var target = Resolve();
        var entry = HybridEntry.Resolve(options, tags, _defaults);
        var plan = target.Plan(entry.Options);
        if (!entry.WritesStore)
        {
            return; // the only tier there is may not be written
        }

        if (_serializers.Get<T>() is { } serializer)
        {
            var bytes = new SerializerForm<T>(serializer, _logger, target.Application).ToStored(value);
            await target.SetAsync(key, bytes, plan, _logger, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await target.SetAsync(key, value, plan, _logger, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<T> RunAsync<TState, T, TStored>(
        HybridTarget target, string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridEntry entry, EntryPlan plan, IStoredForm<T, TStored> form, CancellationToken cancellationToken)
    {
        if (!entry.RunsFactory)
        {
            // Read only: a miss is default, as in Microsoft's HybridCache and FusionCache.
            return entry.ReadsStore && (await target.GetAsync<TStored>(key, cancellationToken).ConfigureAwait(false)).TryGetValue(out var found) && form.TryRead(found, out var value)
                ? value
                : default!;
        }

        if (entry.ReadsStore && !entry.WritesStore)
        {
            return (await target.GetAsync<TStored>(key, cancellationToken).ConfigureAwait(false)).TryGetValue(out var found) && form.TryRead(found, out var value)
                ? value
                : await factory(state, cancellationToken).ConfigureAwait(false);
        }

        // The caller that ran the factory keeps its own value; callers that joined it, or hit, read the
        // stored form: their own instance, unless the type is immutable (then joiners may share it).
        var ran = false;
        T produced = default!;
        async ValueTask<TStored> Produce(CancellationToken ct)
        {
            produced = await factory(state, ct).ConfigureAwait(false);
            ran = true;
            return form.ToStored(produced);
        }

        if (!entry.ReadsStore)
        {
            if (!entry.WritesStore)
            {
                return await factory(state, cancellationToken).ConfigureAwait(false);
            }

            await target.CreateAsync(key, Produce, plan, cancellationToken).ConfigureAwait(false);
            return produced;
        }

        var stored = await target.GetOrCreateAsync(key, Produce, plan, form.JoinersNeedCopy, cancellationToken).ConfigureAwait(false);
        if (ran)
        {
            return produced;
        }

        if (form.TryRead(stored, out var read))
        {
            return read;
        }

        // Bytes this serializer cannot read (another version's, another writer's): replace them.
        await target.CreateAsync(key, Produce, plan, cancellationToken).ConfigureAwait(false);
        return produced;
    }
}
