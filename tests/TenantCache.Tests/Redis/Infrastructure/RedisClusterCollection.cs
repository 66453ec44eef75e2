namespace TenantCache.Tests.Redis.Infrastructure;

/// <summary>
/// The test classes that start a Redis Cluster (three servers each) or run the checker on Redis: they run
/// alone, after the parallel ones, so that their load does not starve the timing-sensitive tests of other
/// classes on a small machine (2 cores here).
/// </summary>
[CollectionDefinition(nameof(RedisClusterCollection), DisableParallelization = true)]
public sealed class RedisClusterCollection;
