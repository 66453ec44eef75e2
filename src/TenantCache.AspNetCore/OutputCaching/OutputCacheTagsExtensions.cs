using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TenantCache.AspNetCore.Internal;

namespace TenantCache.AspNetCore.OutputCaching;

/// <summary>
/// Tags that ASP.NET Core's output cache cannot express by itself: computed per request, or decided by
/// the endpoint while it runs. <see cref="TenantOutputCacheStore"/> adds them when it stores the response.
/// </summary>
public static class OutputCacheTagsExtensions
{
    /// <summary>Tags the endpoint's cached responses with tags computed from each request.</summary>
    /// <example><c>app.MapGet("/products/{id}", ...).CacheOutput(p =&gt; p.VaryByTenant()).WithOutputCacheTags(c =&gt; [$"product:{c.Request.RouteValues["id"]}"]);</c></example>
    public static TBuilder WithOutputCacheTags<TBuilder>(this TBuilder builder, Func<HttpContext, IEnumerable<string>> tags)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tags);
        var metadata = new OutputCacheTagsMetadata(tags);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }

    /// <summary>Tags the endpoint's cached responses with one tag computed from each request.</summary>
    public static TBuilder WithOutputCacheTag<TBuilder>(this TBuilder builder, Func<HttpContext, string> tag)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(tag);
        return builder.WithOutputCacheTags(context => [tag(context)]);
    }

    /// <summary>Adds tags to the response being produced, from inside the endpoint (surrogate keys).</summary>
    public static void AddOutputCacheTags(this HttpContext context, params IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tags);
        var feature = context.Features.Get<OutputCacheTagsFeature>();
        if (feature is null)
        {
            feature = new OutputCacheTagsFeature();
            context.Features.Set(feature);
        }

        foreach (var tag in tags)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(tag, nameof(tags));
            feature.Tags.Add(tag);
        }
    }
}
