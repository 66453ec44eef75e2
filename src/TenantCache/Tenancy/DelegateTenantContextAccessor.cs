namespace TenantCache.Tenancy;

/// <summary>An <see cref="ITenantContextAccessor"/> that asks a delegate (for example Finbuckle's or ABP's current tenant).</summary>
public sealed class DelegateTenantContextAccessor : ITenantContextAccessor
{
    private readonly Func<string?> _resolve;

    /// <summary>Creates the accessor; <paramref name="resolve"/> runs on every call and must be thread-safe.</summary>
    public DelegateTenantContextAccessor(Func<string?> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        _resolve = resolve;
    }

    /// <inheritdoc />
    public string? TenantId => _resolve();
}
