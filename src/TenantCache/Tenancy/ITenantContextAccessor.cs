namespace TenantCache.Tenancy;

/// <summary>
/// Answers "which tenant is this call for?" from ambient state: the current HTTP request, a message
/// being handled, a background job. TenantCache asks it on every call of <see cref="ICurrentTenantCache"/>.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe and cheap. Return <see langword="null"/> (or an empty or
/// whitespace string) when there is no tenant: callers that need one then get a
/// <see cref="MissingTenantException"/>, never the application scope.
/// </remarks>
public interface ITenantContextAccessor
{
    /// <summary>The current tenant's id, or <see langword="null"/> when there is none.</summary>
    string? TenantId { get; }
}
