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

    public static OutputCacheContext? Get(HttpContext context) =>
        context.Items.TryGetValue(s_itemKey, out var value) ? value as OutputCacheContext : null;

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        context.HttpContext.Items[s_itemKey] = context;
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
}
