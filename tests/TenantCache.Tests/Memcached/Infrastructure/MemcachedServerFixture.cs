namespace TenantCache.Tests.Memcached.Infrastructure;

/// <summary>One memcached process (with 2 MiB items) shared by a test class.</summary>
public sealed class MemcachedServerFixture : IAsyncLifetime
{
    public MemcachedServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await MemcachedServer.StartAsync("-m", "64", "-I", "2m");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
