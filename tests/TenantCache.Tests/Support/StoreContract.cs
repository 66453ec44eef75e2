using TenantCache.Stores;

namespace TenantCache.Tests.Support;

/// <summary>
/// The base of every contract suite that runs over several stores (in process, one memcached, a
/// cluster): a fresh store per test from <see cref="CreateStoreAsync"/>, disposed after it.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private ICacheStore? _store;

    protected ICacheStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await DisposeStoreResourcesAsync();
    }

    protected abstract Task<ICacheStore> CreateStoreAsync();

    /// <summary>Anything the store's creation started besides the store itself (a server process).</summary>
    protected virtual Task DisposeStoreResourcesAsync() => Task.CompletedTask;
}
