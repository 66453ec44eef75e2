namespace TenantCache.Cli.Check;

/// <summary>
/// A fault the checker injects while workers run: started, held for a while, stopped. Faults are
/// injected one at a time, at random moments, and counted in the summary (<c>faults=</c>).
/// Implementations must be bounded (they touch only the loopback processes the checker owns) and
/// must leave the system as they found it after <see cref="StopAsync"/>.
/// </summary>
/// <remarks>
/// The memcached faults live in <c>Check/Faults/</c>: <c>restart</c>, <c>pause</c>, <c>kill</c>,
/// <c>relay</c> and <c>evict</c> (see docs/guarantees.md). Eviction pressure is also a property of the
/// store (little memory, large values): see <see cref="CheckTarget.StoreMayLoseEntries"/>.
/// </remarks>
internal interface IFault
{
    /// <summary>The name shown in the summary and in <c>--faults</c>.</summary>
    string Name { get; }

    /// <summary>Starts the fault (stops a server, starts cutting connections, ...).</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Ends the fault and waits until the system is back.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What the checker runs against: a store factory (called once per run; every application and
/// client of the run share the store it returns), the faults to inject, and whether the store may lose
/// entries on its own (eviction pressure), which, like any fault, turns the I3 check off.
/// </summary>
/// <param name="Name">Shown in the header, e.g. "memory" or "memcached 127.0.0.1:11211".</param>
/// <param name="StoreFactory">Creates the store of a run.</param>
/// <param name="Faults">Faults to inject; empty for none.</param>
/// <param name="StoreMayLoseEntries">The store may evict entries (small memory): I3 is not judged.</param>
internal sealed record CheckTarget(string Name, Func<TenantCache.Stores.ICacheStore> StoreFactory, IReadOnlyList<IFault> Faults, bool StoreMayLoseEntries = false)
{
    /// <summary>The in-process store with its default (large) memory, no faults.</summary>
    public static CheckTarget InProcess() =>
        new("memory", () => new TenantCache.Stores.MemoryCacheStore(), []);
}
