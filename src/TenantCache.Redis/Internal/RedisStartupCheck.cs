using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TenantCache.Redis.Internal;

/// <summary>
/// Creates the store when the host starts, so that it connects then: a refused password or certificate
/// (<see cref="RedisAuthenticationException"/>, <see cref="RedisTlsException"/>) stops the start instead
/// of surfacing at the first request, and so does an unreachable server with <c>abortConnect=true</c>;
/// with <c>abortConnect=false</c> the store starts and connects in the background.
/// </summary>
internal sealed class RedisStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.Run(() => services.GetRequiredService<RedisCacheStore>(), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
