namespace TenantCache.Tenancy;

/// <summary>
/// A tenant-scoped cache was used where no current tenant could be resolved. TenantCache never falls
/// back to the application scope silently: shared data goes through <see cref="ITenantCache"/> itself.
/// </summary>
public sealed class MissingTenantException : InvalidOperationException
{
    /// <summary>Creates the exception with the default message.</summary>
    public MissingTenantException()
        : base("No current tenant: the tenant accessor returned no tenant id. Use ITenantCache for application-wide data.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MissingTenantException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MissingTenantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
