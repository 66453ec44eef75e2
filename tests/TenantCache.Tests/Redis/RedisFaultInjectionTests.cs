using System.Diagnostics;
using StackExchange.Redis;
using TenantCache.Harness;
using TenantCache.Harness.Faults;
using TenantCache.Tests.Memcached.Infrastructure;
using TenantCache.Tests.Redis.Infrastructure;

namespace TenantCache.Tests.Redis;

/// <summary>
/// The fault injectors on a real Redis Cluster, as the checker runs it (no replicas, no persistence,
/// <c>cluster-require-full-coverage no</c>): a killed primary takes only its own slots down, and a node
/// restarted empty in its own directory keeps its id and slots and rejoins.
/// </summary>
[Collection(nameof(RedisClusterCollection))]
public sealed class RedisClusterFaultInjectionTests
{
    [Fact(Timeout = 90_000)]
    public async Task A_killed_primary_takes_down_only_its_slots_and_comes_back_empty_with_the_same_slots()
    {
        await using var cluster = await RedisCluster.StartAsync(3, "--cluster-require-full-coverage", "no", "--cluster-node-timeout", "1000");
        await using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration + ",abortConnect=false,connectTimeout=1000,asyncTimeout=1000");
        var db = connection.GetDatabase();
        var owners = await cluster.SlotOwnersAsync();
        Assert.DoesNotContain(-1, owners);
        var keyOf = Enumerable.Range(0, 3).Select(node => Enumerable.Range(0, 10_000).Select(i => "k" + i).First(k => owners[RedisCluster.HashSlot(k)] == node)).ToArray();
        foreach (var key in keyOf)
        {
            Assert.True(await db.StringSetAsync(key, "before"));
        }

        var victim = cluster.FaultTargets[1];
        var pid = victim.ProcessId;
        var kill = new KillFault(new NodePicker([victim], 0), TimeSpan.FromMilliseconds(2500));
        await kill.StartAsync(CancellationToken.None);
        Assert.Null(victim.ProcessId);
        await Task.Delay(2500); // past twice the node timeout: the others have marked it failed

        // With full coverage required (Redis's default) both would answer CLUSTERDOWN now.
        Assert.True(await db.StringSetAsync(keyOf[0], "during"));
        Assert.Equal("during", (string?)await db.StringGetAsync(keyOf[0]));
        Assert.Equal("before", (string?)await db.StringGetAsync(keyOf[2]));

        await kill.StopAsync(CancellationToken.None); // restarts it, and waits until it reports cluster_state:ok
        Assert.NotNull(victim.ProcessId);
        Assert.NotEqual(pid, victim.ProcessId);
        Assert.Equal(owners, await cluster.SlotOwnersAsync()); // nodes.conf kept: same id, same slots
        await Eventually.TrueAsync(async () => await db.StringGetAsync(keyOf[1]) is { IsNull: true } && await db.StringSetAsync(keyOf[1], "after"), TimeSpan.FromSeconds(20));
        Assert.Equal("after", (string?)await db.StringGetAsync(keyOf[1]));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_harness_hash_slot_is_the_clients()
    {
        await using var cluster = await RedisCluster.StartAsync(3);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(cluster.Configuration);
        string[] keys = ["", "a", "check.1a2b3c4d.a0:v:t1/s0", "x{tag}y", "{}z", "{a}{b}", "é-ü-€", .. Enumerable.Range(0, 500).Select(i => "k" + i)];
        Assert.All(keys, key => Assert.Equal(connection.HashSlot(key), RedisCluster.HashSlot(key)));
    }
}

/// <summary>The two lengths of the Redis pause fault, on a real server.</summary>
public sealed class RedisPauseFaultTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_short_pause_ends_by_itself_within_the_hold_and_a_long_one_lasts_its_minimum()
    {
        await using var server = await RedisProcess.StartAsync();
        // Lengths far apart from the reads below (a short pause outlives a scheduling stall of a loaded
        // machine before the first read, and ends well within the hold; a long one outlasts the hold).
        var fault = new TimedPauseFault(new NodePicker([server], 0), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(2500), seed: 1);
        for (var i = 0; i < 6 && (fault.ShortPauses == 0 || fault.LongPauses == 0); i++)
        {
            var shortBefore = fault.ShortPauses;
            var watch = Stopwatch.StartNew();
            await fault.StartAsync(CancellationToken.None);
            var isShort = fault.ShortPauses > shortBefore;
            Assert.Equal('T', State(server));
            await Task.Delay(1500); // the runner's hold
            Assert.True(isShort == (State(server) != 'T'), $"a {(isShort ? "short" : "long")} pause, state {State(server)} after 1500 ms");
            await fault.StopAsync(CancellationToken.None);
            Assert.NotEqual('T', State(server));
            Assert.True(isShort || watch.Elapsed >= TimeSpan.FromMilliseconds(2500), $"a long pause ended after {watch.Elapsed}");
        }

        Assert.True(fault.ShortPauses > 0 && fault.LongPauses > 0, $"short={fault.ShortPauses} long={fault.LongPauses}");
    }

    /// <summary>The process's state letter from /proc (T: stopped).</summary>
    private static char State(RedisProcess server)
    {
        var text = File.ReadAllText($"/proc/{server.ProcessId}/stat");
        return text[(text.LastIndexOf(')') + 2)..][0];
    }
}
