using TenantCache.Benchmarks.Bench;
using TenantCache.Memcached;

namespace TenantCache.Benchmarks.Herd;

/// <summary>
/// One way of serving a hot key set through get-or-create that <c>herd</c> measures. The coordinator
/// and every worker create the same contender by name over the one memcached, with the same run id,
/// so they share the keys and the tenant (<c>herd-{run}</c>).
/// </summary>
internal abstract class HerdContender : IAsyncDisposable
{
    /// <summary>The contenders, in the order they run by default.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        TenantCacheHerdContender.DefaultName, TenantCacheHerdContender.StaleName, TenantCacheHerdContender.NoLeaseName,
        FrameworkHerdContender.FusionName, FrameworkHerdContender.HybridName,
    ];

    protected HerdContender(string run) => Tenant = "herd-" + run;

    /// <summary>The one tenant of the run.</summary>
    public string Tenant { get; }

    public abstract string Name { get; }

    /// <summary>How it is configured, in one line.</summary>
    public abstract string Description { get; }

    /// <summary>How its tenant clear is made, in one line (what it can do across processes).</summary>
    public abstract string ClearMethod { get; }

    /// <summary>
    /// True when one clear, in any process, is seen by every process (the coordinator makes it);
    /// false when a clear is local to the process that makes it, so that every worker clears its own instance.
    /// </summary>
    public abstract bool ClearIsFleetWide { get; }

    /// <summary>Whether the meter <c>TenantCache</c> applies (its lease takeovers are reported).</summary>
    public virtual bool IsTenantCache => false;

    /// <summary>The name of hot key <paramref name="index"/>.</summary>
    public static string Key(int index) => $"/hot/{index}";

    /// <summary>Creates the contender called <paramref name="name"/> over <paramref name="client"/>.</summary>
    public static HerdContender Create(string name, MemcachedClient client, string run) => name switch
    {
        TenantCacheHerdContender.DefaultName or TenantCacheHerdContender.StaleName or TenantCacheHerdContender.NoLeaseName =>
            new TenantCacheHerdContender(name, client, run),
        FrameworkHerdContender.FusionName or FrameworkHerdContender.HybridName => new FrameworkHerdContender(name, new BenchDistributedCache(client), run),
        _ => throw new BenchUsageException($"--contenders: unknown {name} (known: {string.Join(", ", Names)})."),
    };

    /// <summary>Reads hot key <paramref name="index"/>, or computes it with <paramref name="factory"/>, through the contender's own get-or-create.</summary>
    public abstract ValueTask<string> GetOrCreateAsync(int index, Func<CancellationToken, ValueTask<string>> factory);

    /// <summary>Clears the run's tenant, the contender's own way (<see cref="ClearMethod"/>).</summary>
    public abstract ValueTask ClearAsync();

    public abstract ValueTask DisposeAsync();
}
