using Microsoft.Extensions.Logging;
using TenantCache.Memcached;
using TenantCache.Stores;

namespace TenantCache.Cli;

/// <summary>
/// The store a command runs on: memcached when <c>--servers</c> is given, else in process. An empty
/// <c>--servers ""</c> is a usage error, never a quiet fall-back to the in-process store.
/// </summary>
internal sealed class CliStore : IAsyncDisposable
{
    private CliStore(ICacheStore store, ILoggerFactory loggerFactory)
    {
        Store = store;
        LoggerFactory = loggerFactory;
    }

    public ICacheStore Store { get; }

    /// <summary>Warnings and errors go to standard error, so standard output stays the command's own.</summary>
    public ILoggerFactory LoggerFactory { get; }

    public static CliStore Open(string? servers)
    {
        var endpoints = servers is null ? null : CliOptions.ParseServers(servers);
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(new StderrLoggerProvider(LogLevel.Warning)));
        if (endpoints is null)
        {
            return new CliStore(new MemoryCacheStore(), loggerFactory);
        }

        var options = new MemcachedOptions();
        foreach (var endpoint in endpoints)
        {
            options.Endpoints.Add(endpoint);
        }

        return new CliStore(new MemcachedCacheStore(options, loggerFactory), loggerFactory);
    }

    public ILogger<ApplicationCache> Logger => LoggerFactory.CreateLogger<ApplicationCache>();

    public async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        LoggerFactory.Dispose();
    }
}
