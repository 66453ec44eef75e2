using Microsoft.Extensions.Options;

namespace TenantCache.OriginSample;

/// <summary>
/// Stands for the service's database: computes a tenant's info, and stamps each computation with an id
/// unique across instances, so a reader can tell a cached response from a fresh one.
/// </summary>
public sealed class TenantInfoSource
{
    private readonly string _instance;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private long _computations;

    /// <summary>Creates the source.</summary>
    public TenantInfoSource(IOptions<OriginOptions> options, TimeProvider? time = null)
    {
        _instance = string.IsNullOrWhiteSpace(options.Value.InstanceName) ? Guid.NewGuid().ToString("N")[..8] : options.Value.InstanceName;
        _delay = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.ComputeDelayMilliseconds));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many times this instance computed an answer.</summary>
    public long Computations => Interlocked.Read(ref _computations);

    /// <summary>Computes <paramref name="tenant"/>'s info.</summary>
    public async Task<TenantInfo> ComputeAsync(string tenant, CancellationToken cancellationToken)
    {
        if (_delay > TimeSpan.Zero)
        {
            await Task.Delay(_delay, _time, cancellationToken);
        }

        var n = Interlocked.Increment(ref _computations);
        return new TenantInfo(tenant, $"{tenant}: 2 days", $"{_instance}-{n}", _time.GetUtcNow());
    }
}

/// <summary>The body of <c>GET /{tenant}/info</c>.</summary>
/// <param name="Tenant">The tenant asked for.</param>
/// <param name="Info">The tenant's info.</param>
/// <param name="Computation">The id of the computation that produced this body: <c>{instance}-{n}</c>.</param>
/// <param name="ComputedAt">When it was computed.</param>
public sealed record TenantInfo(string Tenant, string Info, string Computation, DateTimeOffset ComputedAt);
