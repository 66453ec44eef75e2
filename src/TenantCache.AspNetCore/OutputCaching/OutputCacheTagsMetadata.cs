using Microsoft.AspNetCore.Http;

namespace TenantCache.AspNetCore.OutputCaching;

/// <summary>
/// Endpoint metadata: tags computed from each request (for example <c>product:{id}</c> from a route
/// value), added to the response's tags when <see cref="TenantOutputCacheStore"/> stores it.
/// </summary>
public sealed class OutputCacheTagsMetadata
{
    /// <summary>Creates the metadata.</summary>
    public OutputCacheTagsMetadata(Func<HttpContext, IEnumerable<string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        Tags = tags;
    }

    /// <summary>Computes the tags of a request.</summary>
    public Func<HttpContext, IEnumerable<string>> Tags { get; }
}
