using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;

namespace TenantCache.AspNetCore.Internal;

/// <summary>
/// A base policy that changes nothing: it keeps a reference to the request's
/// <see cref="OutputCacheContext"/>, so that the store, asked to look a key up, also sees the tags
/// every policy has put on the request by then (the middleware hands the store only the key).
/// </summary>
internal sealed class OutputCacheContextCapture : IOutputCachePolicy
{
    private static readonly object s_itemKey = new();
    private static readonly object s_startedKey = new();

    public static OutputCacheContext? Get(HttpContext context) =>
        context.Items.TryGetValue(s_itemKey, out var value) ? value as OutputCacheContext : null;

    /// <summary>When the output cache began with this request (before its lookup), or <see langword="null"/>.</summary>
    public static long? StartedAt(HttpContext context) =>
        context.Items.TryGetValue(s_startedKey, out var value) && value is long started ? started : null;

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        context.HttpContext.Items[s_itemKey] = context;
        context.HttpContext.Items[s_startedKey] = System.Diagnostics.Stopwatch.GetTimestamp();
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}
