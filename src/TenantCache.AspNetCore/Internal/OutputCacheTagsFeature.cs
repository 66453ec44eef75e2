namespace TenantCache.AspNetCore.Internal;

/// <summary>Tags the endpoint added to its response while it ran (<c>HttpContext.AddOutputCacheTags</c>).</summary>
internal sealed class OutputCacheTagsFeature
{
    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);
}
