using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Opens one connection to every server when the host starts. A refused certificate or refused
/// credentials stop the start (<see cref="MemcachedTlsException"/>, <see cref="MemcachedAuthenticationException"/>):
/// they are configuration errors that retrying cannot mend, and the cache would otherwise miss
/// forever. A server that cannot be reached does not: a cache outage must not keep the application
/// down (warning 2810; the client keeps retrying as usual).
/// </summary>
internal sealed class MemcachedStartupCheck(MemcachedClient client, ILoggerFactory? loggerFactory = null) : IHostedService
{
    private readonly ILogger _logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("TenantCache.Memcached");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var checks = client.Servers.Select(server => CheckAsync(server, cancellationToken)).ToArray();
        var refusals = (await Task.WhenAll(checks).ConfigureAwait(false)).OfType<MemcachedException>().ToArray();
        if (refusals.Length > 0)
        {
            throw refusals[0];
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<MemcachedException?> CheckAsync(ServerEndpoint server, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetServerSettingsAsync(server, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is MemcachedTlsException or MemcachedAuthenticationException)
        {
            return (MemcachedException)e;
        }
        catch (MemcachedException e)
        {
            Log.UnreachableAtStartup(_logger, server, e.Message);
            return null;
        }
    }
}
