using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TenantCache.Memcached.Internal;

namespace TenantCache.Memcached;

/// <summary>Registers the health check of the memcached servers TenantCache uses.</summary>
public static class MemcachedHealthChecksBuilderExtensions
{
    /// <summary>The check's default name.</summary>
    public const string DefaultName = "tenantcache-memcached";

    /// <summary>The default time the check waits for every server's answer: 500 ms, under the 1 s default timeout of Kubernetes probes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Adds a check that pings every server of the registered <see cref="MemcachedClient"/>
    /// (<c>.WithMemcached(...)</c>) in parallel: Healthy when all answer, Degraded when some do,
    /// <paramref name="failureStatus"/> (default Unhealthy) when none does. <see cref="HealthCheckResult.Data"/>
    /// holds, per server, <c>"host:port"</c> → <c>"up"</c> or <c>"down: reason"</c> and
    /// <c>"host:port.latency_ms"</c> → the time to the answer or failure. The check's pings are ordinary
    /// requests: they count toward marking a server down only as a failed cache request would.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; default <see cref="DefaultName"/>.</param>
    /// <param name="failureStatus">The status when no server answers; default Unhealthy.</param>
    /// <param name="tags">Tags for filtering checks (for example <c>"ready"</c>).</param>
    /// <param name="timeout">How long to wait for the servers (default <see cref="DefaultTimeout"/>); a server silent that long is reported down.</param>
    public static IHealthChecksBuilder AddTenantCacheMemcached(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var wait = timeout ?? DefaultTimeout;
        if (wait <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), wait, "The health check timeout must be positive.");
        }

        // No registration timeout: the check enforces its own and still reports every server's state,
        // where the health service's timeout would replace the whole result with "timed out".
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new MemcachedHealthCheck(sp.GetRequiredService<MemcachedClient>(), wait),
            failureStatus,
            tags));
    }
}
