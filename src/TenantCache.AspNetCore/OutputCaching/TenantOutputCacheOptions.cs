namespace TenantCache.AspNetCore.OutputCaching;

/// <summary>How <see cref="TenantOutputCacheStore"/> maps output-cache tags onto TenantCache scopes and tags.</summary>
public sealed class TenantOutputCacheOptions
{
    /// <summary>
    /// Tags that start with this name a tenant: <c>EvictByTagAsync("tenant:acme")</c> invalidates tenant
    /// <c>acme</c>'s scope in O(1), however many responses it holds. Default <c>tenant:</c>.
    /// </summary>
    public string TenantTagPrefix { get; set; } = "tenant:";

    /// <summary>
    /// The tag that stands for every response of the application (ASP.NET Core's documented
    /// <c>tag-all</c> idiom): evicting it invalidates the application scope in O(1). <c>*</c> always does too.
    /// Default <c>tag-all</c>.
    /// </summary>
    public string ApplicationTag { get; set; } = "tag-all";

    /// <summary>
    /// A response header whose space- or comma-separated values are added to the response's tags when it
    /// is stored (surrogate keys, decided by the endpoint while it runs), for example <c>Surrogate-Key</c>.
    /// Default <see langword="null"/>: none.
    /// </summary>
    public string? TagsHeader { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(TenantTagPrefix))
        {
            throw new ArgumentException("TenantTagPrefix must not be empty.", nameof(TenantTagPrefix));
        }

        if (string.IsNullOrWhiteSpace(ApplicationTag))
        {
            throw new ArgumentException("ApplicationTag must not be empty.", nameof(ApplicationTag));
        }

        if (ApplicationTag.StartsWith(TenantTagPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException("ApplicationTag must not start with TenantTagPrefix.", nameof(ApplicationTag));
        }

        if (TagsHeader is not null && string.IsNullOrWhiteSpace(TagsHeader))
        {
            throw new ArgumentException("TagsHeader must be null or a header name.", nameof(TagsHeader));
        }
    }
}
