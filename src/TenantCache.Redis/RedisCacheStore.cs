using StackExchange.Redis;
using TenantCache.Redis.Internal;
using TenantCache.Stores;
using static TenantCache.Stores.StoreArguments;

namespace TenantCache.Redis;

/// <summary>
/// The TenantCache store over Redis, standalone or Redis Cluster (StackExchange.Redis underneath): the same
/// port as the memcached store, so the same scopes, version tokens and guarantees hold.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> One Redis string per store key, under the key itself. Keys never contain <c>{</c>
/// (the engine escapes it), so Redis Cluster places every key by its whole name: a scope's version key
/// and its data keys land on different shards, no shard holds a tenant, and no command names two keys —
/// there is never a <c>CROSSSLOT</c>. A batched read is one <c>GET</c> per key, pipelined on the
/// multiplexed connection: one round trip per node, the nodes in parallel.</para>
/// <para><b>CAS and flags.</b> Redis has neither; each string starts with a 13-byte header holding the
/// item's CAS (random, drawn by each write) and its client flags, so a read stays one <c>GET</c>. A
/// CAS-conditional write is a one-key Lua script. A string without the header reads as a miss.</para>
/// <para><b>Failures.</b> Connection failures, timeouts and server errors are <see cref="CacheStoreException"/>s;
/// cancellation is honoured (the command itself may still run on the server: Redis cannot take it back).</para>
/// </remarks>
public sealed partial class RedisCacheStore : ILeaseCacheStore, IAsyncDisposable, IDisposable
{
    /// <summary>The longest key the store accepts (the port's: memcached's limit).</summary>
    public const int MaxKeyLength = StoreArguments.MaxKeyLength;

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly TlsCredentials? _tlsCredentials;
    private readonly IDatabase _db;

    /// <summary>Connects to the Redis that <see cref="RedisStoreOptions.Configuration"/> names; the store owns the connection.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="RedisAuthenticationException">Redis refused the credentials.</exception>
    /// <exception cref="RedisTlsException">The TLS handshake failed (an untrusted or misnamed certificate, a port without TLS).</exception>
    /// <exception cref="CacheStoreException">Redis could not be reached (with <c>abortConnect=false</c> in the configuration, the store starts and reconnects in the background instead).</exception>
    public RedisCacheStore(RedisStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        MaxValueLength = options.MaxValueLength;
        _connection = Connect(options, out _tlsCredentials);
        _ownsConnection = true;
        _db = _connection.GetDatabase(options.Database);
    }

    /// <summary>Uses a connection the application already has (and keeps owning); <paramref name="options"/> gives the limits.</summary>
    public RedisCacheStore(IConnectionMultiplexer connection, RedisStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new RedisStoreOptions();
        options.Validate(requireConfiguration: false);
        MaxValueLength = options.MaxValueLength;
        _connection = connection;
        _db = connection.GetDatabase(options.Database);
    }

    /// <inheritdoc/>
    public int MaxValueLength { get; }

    /// <summary>The connection the store uses.</summary>
    public IConnectionMultiplexer Connection => _connection;

    /// <inheritdoc/>
    public ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, CancellationToken cancellationToken = default) =>
        GetManyAsync(keys, results, ReadOnlyMemory<ulong>.Empty, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Redis has no conditional get: every found item comes back with its value (allowed by the port).</remarks>
    public async ValueTask GetManyAsync(ReadOnlyMemory<string> keys, Memory<StoreItem> results, ReadOnlyMemory<ulong> knownCas, CancellationToken cancellationToken = default)
    {
        ValidateRead(keys.Span, results, knownCas);
        cancellationToken.ThrowIfCancellationRequested();
        if (keys.Length == 0)
        {
            return;
        }

        var reads = new Task<RedisValue>[keys.Length];
        var span = keys.Span;
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = _db.StringGetAsync(span[i]); // all written before any reply is awaited: one pipelined batch
        }

        await RunAsync(Task.WhenAll(reads), cancellationToken).ConfigureAwait(false);
        var output = results.Span;
        for (var i = 0; i < reads.Length; i++)
        {
            var value = reads[i].Result;
            output[i] = value.IsNull ? StoreItem.Missing : RedisItem.Decode((ReadOnlyMemory<byte>)value);
        }
    }

    /// <inheritdoc/>
    public ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        SetAsync(key, value, mode, expiry, flags: 0, cas: 0, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<StoreSetResult> SetAsync(string key, ReadOnlyMemory<byte> value, StoreSetMode mode, TimeSpan? expiry, uint flags, ulong cas, CancellationToken cancellationToken = default)
    {
        ValidateWrite(key, value, mode, expiry, cas);
        cancellationToken.ThrowIfCancellationRequested();
        var item = RedisItem.Encode(value.Span, RedisItem.NewCas(), flags);
        if (cas != 0)
        {
            var outcome = await RunAsync(_db.ScriptEvaluateAsync(
                RedisScripts.CompareAndSet, [key], [RedisItem.CasBytes(cas), item, RedisScripts.Milliseconds(expiry)]), cancellationToken).ConfigureAwait(false);
            return (long)outcome == 1 ? StoreSetResult.Stored : StoreSetResult.Conflict;
        }

        var when = mode switch
        {
            StoreSetMode.Add => When.NotExists,
            StoreSetMode.Replace => When.Exists,
            _ => When.Always,
        };
        var ttl = expiry is { } t ? TimeSpan.FromMilliseconds((long)RedisScripts.Milliseconds(t)) : (TimeSpan?)null;
        var stored = await RunAsync(_db.StringSetAsync(key, item, ttl, when), cancellationToken).ConfigureAwait(false);
        return stored ? StoreSetResult.Stored : StoreSetResult.NotStored;
    }

    /// <inheritdoc/>
    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        cancellationToken.ThrowIfCancellationRequested();
        return await RunAsync(_db.KeyDeleteAsync(key), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TouchAsync(string key, TimeSpan? expiry, CancellationToken cancellationToken = default)
    {
        ValidateKey(key, nameof(key));
        ValidateExpiry(expiry);
        cancellationToken.ThrowIfCancellationRequested();
        var touched = await RunAsync(_db.ScriptEvaluateAsync(RedisScripts.Touch, [key], [RedisScripts.Milliseconds(expiry)]), cancellationToken).ConfigureAwait(false);
        return (long)touched == 1;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }

        _tlsCredentials?.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _tlsCredentials?.Dispose();
    }

    /// <inheritdoc cref="RunAsync{T}(Task{T}, CancellationToken)"/>
    private static Task<bool> RunAsync(Task commands, CancellationToken cancellationToken) =>
        RunAsync(commands.ContinueWith(static t => { t.GetAwaiter().GetResult(); return true; }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), cancellationToken);

    /// <summary>Awaits a command, stopping the wait on cancellation, and turns Redis's failures into the port's.</summary>
    private static async Task<T> RunAsync<T>(Task<T> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = command.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
        catch (RedisTimeoutException ex)
        {
            throw new CacheStoreException("Redis did not answer in time: " + ex.Message, ex);
        }
        catch (RedisException ex)
        {
            throw new CacheStoreException("Redis failed: " + ex.Message, ex);
        }
    }
}
