using TenantCache.Internal;

namespace TenantCache.Tenancy;

/// <summary>
/// <see cref="ICurrentTenantCache"/> over an application cache and a tenant accessor. Thread-safe;
/// register it as a singleton (<c>AddTenantCache(...).WithTenantAccessor&lt;T&gt;()</c> does).
/// </summary>
public sealed class CurrentTenantCache : ICurrentTenantCache
{
    private readonly ITenantCache _application;
    private readonly ITenantContextAccessor _accessor;

    /// <summary>Creates the current-tenant view of <paramref name="application"/>.</summary>
    public CurrentTenantCache(ITenantCache application, ITenantContextAccessor accessor)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(accessor);
        _application = application;
        _accessor = accessor;
    }

    /// <inheritdoc />
    public string Application => _application.Application;

    /// <inheritdoc />
    public IReadOnlyList<string> Path => Resolve().Path;

    /// <inheritdoc />
    public string TenantId => CurrentId() ?? throw new MissingTenantException();

    /// <inheritdoc />
    public ICacheScope Resolve() => _application.Tenant(TenantId);

    /// <inheritdoc />
    public ICacheScope? TryResolve() => CurrentId() is { } id ? _application.Tenant(id) : null;

    /// <inheritdoc />
    public ICacheScope Scope(string name) => Resolve().Scope(name);

    /// <inheritdoc />
    public ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        Resolve().GetAsync<T>(key, cancellationToken);

    /// <inheritdoc />
    public ValueTask SetAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        Resolve().SetAsync(key, value, options, cancellationToken);

    /// <inheritdoc />
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        Resolve().RemoveAsync(key, cancellationToken);

    /// <inheritdoc />
    public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, CacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        Resolve().GetOrCreateAsync(key, factory, options, cancellationToken);

    /// <inheritdoc />
    public ValueTask InvalidateAsync(CancellationToken cancellationToken = default) =>
        Resolve().InvalidateAsync(cancellationToken);

    /// <inheritdoc />
    public override string ToString() => CurrentId() is { } id ? $"{Application}/{id}" : $"{Application}/(no tenant)";

    private string? CurrentId()
    {
        var id = _accessor.TenantId;
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }
}
