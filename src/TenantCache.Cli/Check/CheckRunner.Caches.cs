using TenantCache.Stores;

namespace TenantCache.Cli.Check;

// The simulated processes' caches over the run's store.
internal sealed partial class CheckRunner
{
    /// <summary>The caches of the run, [application][process], each over a store of its own in front of the shared one.</summary>
    private ITenantCache[][] Caches(ICacheStore store, IReadOnlyList<CheckProcess> processes, KeyCensus census, StoreActivity activity, OperationLogger logger)
    {
        var caches = new ITenantCache[_options.Apps][];
        for (var app = 0; app < _options.Apps; app++)
        {
            caches[app] = new ITenantCache[processes.Count];
            foreach (var process in processes)
            {
                // Every process has a store of its own over the shared one: it counts what it reads, and
                // passes CAS, flags and leases through (or, for a legacy process, hides them).
                var counting = CountingStore.Over(store, census, activity);
                caches[app][process.Index] = new ApplicationCache(
                    process.Role == ProcessRole.Legacy ? new LegacyStore(counting) : counting,
                    new TenantCacheOptions
                    {
                        Application = _options.ApplicationName(app),
                        DefaultExpiration = _options.EntryLifetime,
                        TokenReuseWindow = process.ConfiguredWindow(store),
                        LocalCopy = new LocalCopyOptions { Enabled = _options.LocalCopy },
                        Leases = new LeaseOptions { Enabled = LeasesEnabled(store), Duration = _options.LeaseDuration ?? (StoreClock(store) > TimeSpan.Zero ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(1)) },
                    },
                    logger);
            }
        }

        return caches;
    }

    /// <summary>
    /// <see cref="LeaseOptions.Enabled"/> for the run: off with <c>--no-leases</c>; on, explicitly, over the
    /// in-process store (the engine's default there is off, and the counting wrapper would hide the store's
    /// type anyway); the engine's default (on where the store has them) on any other store.
    /// </summary>
    private bool? LeasesEnabled(ICacheStore store) => !_options.Leases ? false : store is MemoryCacheStore ? true : null;

    /// <summary>How coarse the store's clock of times to live is: memcached counts whole seconds on a clock that ticks once a second.</summary>
    private static TimeSpan StoreClock(ICacheStore store) => store is Memcached.MemcachedCacheStore ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;

    /// <summary>Whether a process's engine takes leases: the store has them, they are not off, and the process is not legacy (no CAS).</summary>
    private bool TakesLeases(CheckProcess process, ICacheStore store) =>
        _options.Leases && process.Role != ProcessRole.Legacy && store is ILeaseCacheStore;
}
