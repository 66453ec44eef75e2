using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Pings every server of a <see cref="MemcachedClient"/> (<c>mn</c>) in parallel within a timeout.
/// Healthy when all answer, Degraded when some do, the registration's failure status (Unhealthy by
/// default) when none does. A ping is an ordinary request: a failure counts toward marking the server
/// down exactly as a failed cache request would, a server already marked down is reported without
/// being contacted, and a ping cut short by the check's own timeout counts as nothing.
/// </summary>
internal sealed class MemcachedHealthCheck : IHealthCheck
{
    private readonly MemcachedClient _client;
    private readonly TimeSpan _timeout;

    public MemcachedHealthCheck(MemcachedClient client, TimeSpan timeout)
    {
        _client = client;
        _timeout = timeout;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_timeout, _client.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var servers = _client.Servers;
        var nodes = await Task.WhenAll(servers.Select(s => PingAsync(s, linked.Token, cancellationToken))).ConfigureAwait(false);

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var up = 0;
        for (var i = 0; i < servers.Count; i++)
        {
            var name = servers[i].ToString();
            data[name] = nodes[i].Down is null ? "up" : "down: " + nodes[i].Down;
            data[name + ".latency_ms"] = Math.Round(nodes[i].Latency.TotalMilliseconds, 2);
            up += nodes[i].Down is null ? 1 : 0;
        }

        var description = string.Create(CultureInfo.InvariantCulture, $"{up} of {servers.Count} memcached servers up");
        var status = up == servers.Count ? HealthStatus.Healthy
            : up > 0 ? HealthStatus.Degraded
            : context.Registration.FailureStatus;
        return new HealthCheckResult(status, description, exception: null, data);
    }

    private async Task<(string? Down, TimeSpan Latency)> PingAsync(ServerEndpoint server, CancellationToken timeout, CancellationToken caller)
    {
        var started = _client.TimeProvider.GetTimestamp();
        try
        {
            await _client.PingAsync(server, timeout).ConfigureAwait(false);
            return (null, _client.TimeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            var waited = string.Create(CultureInfo.InvariantCulture, $"no reply within {_timeout.TotalMilliseconds:0} ms");
            return (waited, _client.TimeProvider.GetElapsedTime(started));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (e is MemcachedException ? e.Message : $"{e.GetType().Name}: {e.Message}", _client.TimeProvider.GetElapsedTime(started));
        }
    }
}
