namespace TenantCache.Tests.Memcached.Infrastructure;

internal static class Eventually
{
    /// <summary>Retries <paramref name="action"/> until it does not throw, failing after <paramref name="within"/>.</summary>
    public static async Task SucceedsAsync(Func<Task> action, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="within"/>.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan within) =>
        SucceedsAsync(async () => Assert.True(await condition(), "the condition did not hold in time"), within);
}
