namespace TenantCache.Harness.Faults;

/// <summary>
/// A fault injected while a workload runs: started, held for a while, stopped. The checker injects
/// faults one at a time, at random moments, and counts them in its summary (<c>faults=</c>).
/// Implementations must be bounded (they touch only the loopback processes and relays the harness
/// owns) and must leave the system as they found it after <see cref="StopAsync"/>.
/// </summary>
/// <remarks>
/// The memcached faults: <c>restart</c>, <c>pause</c>, <c>kill</c>, <c>relay</c>, <c>slow</c> and
/// <c>evict</c>; on Redis (any <see cref="ILocalServer"/>): <c>restart</c>, <c>pause</c> (<see cref="TimedPauseFault"/>)
/// and <c>kill</c> (see docs/guarantees.md, docs/redis.md).
/// </remarks>
public interface IFault
{
    /// <summary>The name shown in the summary and in <c>--faults</c>.</summary>
    string Name { get; }

    /// <summary>Starts the fault (stops a server, starts cutting connections, ...).</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes once the fault is on.</returns>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Ends the fault and waits until the system is back.</summary>
    /// <param name="cancellationToken">Cancels the wait (the fault is still ended).</param>
    /// <returns>A task that completes once the system is back.</returns>
    Task StopAsync(CancellationToken cancellationToken);
}
