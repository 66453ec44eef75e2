namespace TenantCache.Tenancy;

/// <summary>
/// A tenant carried by the async flow, for code outside HTTP requests (message handlers, jobs):
/// <c>using (AmbientTenant.Use("acme")) { ... }</c>. Also an <see cref="ITenantContextAccessor"/>.
/// </summary>
public sealed class AmbientTenant : ITenantContextAccessor
{
    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>The tenant of the current async flow, or <see langword="null"/>.</summary>
    public static string? Current => s_current.Value;

    /// <inheritdoc />
    public string? TenantId => s_current.Value;

    /// <summary>Makes <paramref name="tenantId"/> the current tenant until the returned value is disposed.</summary>
    /// <exception cref="ArgumentException">The id is null, empty or whitespace.</exception>
    public static IDisposable Use(string tenantId)
    {
        Internal.Guard.Name(tenantId, nameof(tenantId));
        var previous = s_current.Value;
        s_current.Value = tenantId;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_current.Value = previous;
            }
        }
    }
}
