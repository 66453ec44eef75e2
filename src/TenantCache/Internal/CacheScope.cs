namespace TenantCache.Internal;

/// <summary>A scope below the application: a tenant or a deeper scope.</summary>
internal sealed class CacheScope : ICacheScope, IEngineScope
{
    private readonly CacheEngine _engine;
    private readonly ScopePath _path;

    public CacheScope(CacheEngine engine, ScopePath path)
    {
        _engine = engine;
        _path = path;
    }

    public string Application => _path.Application;

    public CacheEngine Engine => _engine;

    public ScopePath ScopePath => _path;

    public IReadOnlyList<string> Path => _path.Names;

    public ICacheScope Scope(string name) => ScopeOperations.Child(_engine, _path, name, nameof(name));

    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        ScopeOperations.GetAsync<T>(_engine, _path, key, cancellationToken);

    public ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        ScopeOperations.SetAsync(_engine, _path, key, value, options, cancellationToken);

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        ScopeOperations.RemoveAsync(_engine, _path, key, cancellationToken);

    public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        ScopeOperations.GetOrCreateAsync(_engine, _path, key, factory, options, cancellationToken);

    public ValueTask InvalidateAsync(CancellationToken cancellationToken = default) =>
        ScopeOperations.InvalidateAsync(_engine, _path, _path.VersionKeys[^1], tag: false, cancellationToken);

    public override string ToString() => $"{Application}/{string.Join('/', _path.Names)}";
}
