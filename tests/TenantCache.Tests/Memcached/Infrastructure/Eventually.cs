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
}
