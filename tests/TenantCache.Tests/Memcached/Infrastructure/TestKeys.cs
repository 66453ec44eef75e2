namespace TenantCache.Tests.Memcached.Infrastructure;

internal static class TestKeys
{
    public static string Unique(string prefix = "k") => $"{prefix}:{Guid.NewGuid():N}";
}
