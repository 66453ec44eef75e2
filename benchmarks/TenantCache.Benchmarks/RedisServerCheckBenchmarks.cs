using BenchmarkDotNet.Attributes;
using StackExchange.Redis;
using TenantCache.Harness;

namespace TenantCache.Benchmarks;

/// <summary>
/// Issue 12, item 2 ("measure before keeping it"): would a server-side token check (a Lua function that
/// reads the scope tokens next to the entry and ships the value only on a match) beat what the Redis
/// store does? Three ways to make one strict read of a 1 KB entry under an application and a tenant, on a
/// local Redis this benchmark starts: one GET (a read whose tokens are reused, the common case); three
/// GETs pipelined in one round trip (a read that fetches its tokens, what the store sends); one EVALSHA of
/// a script that GETs the two tokens, compares them with the caller's and returns the value only when both
/// match (the lower bound of a real function, which would also have to parse the entry's envelope in Lua).
/// <c>Callers</c> runs that many reads at once per invocation.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RedisServerCheckBenchmarks
{
    private const string Check = """
        local app = redis.call('GET', KEYS[1])
        local tenant = redis.call('GET', KEYS[2])
        if app ~= ARGV[1] or tenant ~= ARGV[2] then return false end
        return redis.call('GET', KEYS[3])
        """;

    private readonly RedisKey[] _keys = ["bench:v:app", "bench:v:app:tenant", "bench:d:app:tenant:/info"];
    private readonly RedisValue[] _tokens = ["app-token-0123456789abcdef", "tenant-token-0123456789abcdef"];
    private RedisProcess _server = null!;
    private ConnectionMultiplexer _connection = null!;
    private IDatabase _db = null!;
    private byte[] _sha = [];

    [Params(1, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await RedisProcess.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_server.Endpoint);
        _db = _connection.GetDatabase();
        await _db.StringSetAsync(_keys[0], _tokens[0]);
        await _db.StringSetAsync(_keys[1], _tokens[1]);
        await _db.StringSetAsync(_keys[2], new byte[1024]);
        _sha = Convert.FromHexString((string)(await _db.ExecuteAsync("SCRIPT", "LOAD", Check))!);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "GET data (tokens reused)")]
    public Task<long> OneGet() => RunAsync(async () => ((byte[])(await _db.StringGetAsync(_keys[2]))!).Length);

    [Benchmark(Description = "3 GETs pipelined (the store's strict read)")]
    public Task<long> ThreeGets() => RunAsync(async () =>
    {
        var batch = _db.CreateBatch();
        var app = batch.StringGetAsync(_keys[0]);
        var tenant = batch.StringGetAsync(_keys[1]);
        var data = batch.StringGetAsync(_keys[2]);
        batch.Execute();
        var value = (byte[])(await data)!;
        return (await app) == _tokens[0] && (await tenant) == _tokens[1] ? value.Length : -1;
    });

    [Benchmark(Description = "EVALSHA server-side token check")]
    public Task<long> ServerCheck() => RunAsync(async () =>
        ((byte[])(await _db.ScriptEvaluateAsync(_sha, _keys, _tokens))!).Length);

    private async Task<long> RunAsync(Func<Task<int>> read)
    {
        if (Callers == 1)
        {
            return await read();
        }

        var reads = new Task<int>[Callers];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = read();
        }

        long total = 0;
        foreach (var length in await Task.WhenAll(reads))
        {
            total += length;
        }

        return total;
    }
}
