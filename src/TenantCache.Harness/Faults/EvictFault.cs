using TenantCache.Memcached;

namespace TenantCache.Harness.Faults;

/// <summary>
/// <c>evict</c>: eviction pressure. The nodes run with little memory (<c>-m 8</c>) and the workload
/// writes large values all along; while this fault is on, a filler also writes values of every size
/// class (100 B – 64 KiB) under keys outside the run, as fast as it can, so that version tokens and
/// entries of every size are evicted. Bounded by the fault's hold; stopped and awaited in <see cref="StopAsync"/>.
/// </summary>
public sealed class EvictFault : IFault, IAsyncDisposable
{
    private readonly MemcachedClient _client;
    private readonly byte[] _filler;
    private readonly Random _random;
    private CancellationTokenSource? _stop;
    private Task? _filling;
    private long _written;

    /// <summary>A filler that writes to <paramref name="servers"/>, its key and size choices seeded by <paramref name="seed"/>.</summary>
    public EvictFault(string servers, int seed)
    {
        _client = new MemcachedClient(new MemcachedOptions
        {
            Servers = servers,
            OperationTimeout = TimeSpan.FromMilliseconds(250),
            ConnectTimeout = TimeSpan.FromMilliseconds(250),
            RetryDelay = TimeSpan.FromMilliseconds(200),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        });
        _random = new Random(seed);
        _filler = new byte[64 * 1024];
        _random.NextBytes(_filler);
    }

    /// <inheritdoc/>
    public string Name => "evict";

    /// <summary>Filler values written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _filling = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => FillAsync(token), CancellationToken.None)));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stop, null) is not { } stop)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await (_filling ?? Task.CompletedTask).ConfigureAwait(false);
        }
        finally
        {
            stop.Dispose();
            _filling = null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
    }

    private async Task FillAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            int size, n;
            lock (_random)
            {
                // Log-uniform sizes, so that every slab class feels the pressure (the tokens' too).
                size = (int)Math.Pow(2, 6.6 + (_random.NextDouble() * 9.4));
                n = _random.Next(1_000_000);
            }

            try
            {
                await _client.SetAsync($"evict.filler.{n}", _filler.AsMemory(0, Math.Min(size, _filler.Length)), TimeSpan.FromMinutes(10), cancellationToken: CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref _written);
            }
            catch (Exception ex) when (ex is CacheStoreException or ArgumentException)
            {
                // A down or full node: the pressure is best effort.
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
