using System.Diagnostics;
using TenantCache.Cli.Local;

namespace TenantCache.Cli.Check.Faults;

/// <summary>Picks the node a fault hits: seeded, one at a time.</summary>
internal sealed class NodePicker(IReadOnlyList<MemcachedProcess> nodes, int seed)
{
    private readonly Random _random = new(seed);

    public IReadOnlyList<MemcachedProcess> Nodes { get; } = nodes;

    public MemcachedProcess Next()
    {
        lock (_random)
        {
            return Nodes[_random.Next(Nodes.Count)];
        }
    }
}

/// <summary><c>restart</c>: a node is killed and restarted at once, empty, on the same port (every token and entry on it lost).</summary>
internal sealed class RestartFault(NodePicker nodes) : IFault
{
    private int _count;

    public string Name => "restart";

    /// <summary>Restarts done so far.</summary>
    public int Count => _count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await nodes.Next().RestartAsync();
        Interlocked.Increment(ref _count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// <c>kill</c>: a node is killed and left down for the fault's hold (the client marks it down and
/// fails fast), then brought back, empty, on the same port.
/// </summary>
internal sealed class KillFault(NodePicker nodes) : IFault
{
    private MemcachedProcess? _killed;

    public string Name => "kill";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var node = nodes.Next();
        _killed = node;
        node.Kill();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _killed, null) is { } node)
        {
            await node.RestartAsync();
        }
    }
}

/// <summary>
/// <c>pause</c>: a node is stopped with SIGSTOP for longer than the client's operation timeout (at
/// least <see cref="MinimumPause"/>, whatever the runner's hold), then continued with SIGCONT. Its
/// data survives; requests to it time out meanwhile, and commands the client gave up on may still
/// be executed when it continues.
/// </summary>
internal sealed class PauseFault(NodePicker nodes, TimeSpan minimumPause) : IFault
{
    private MemcachedProcess? _paused;
    private long _pausedAt;

    public string Name => "pause";

    public TimeSpan MinimumPause { get; } = minimumPause;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var node = nodes.Next();
        node.Pause();
        _pausedAt = Stopwatch.GetTimestamp();
        _paused = node;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _paused, null) is not { } node)
        {
            return;
        }

        try
        {
            var left = MinimumPause - Stopwatch.GetElapsedTime(_pausedAt);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, CancellationToken.None);
            }
        }
        finally
        {
            node.Resume();
        }
    }
}

/// <summary><c>relay</c>: while on, the relays in front of the nodes reset connections at random, including mid-reply.</summary>
internal sealed class RelayFault(IReadOnlyList<TcpRelay> relays) : IFault
{
    public string Name => "relay";

    public IReadOnlyList<TcpRelay> Relays { get; } = relays;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var relay in Relays)
        {
            relay.Chaos = true;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var relay in Relays)
        {
            relay.Chaos = false;
        }

        return Task.CompletedTask;
    }
}
