using System.Diagnostics;
using TenantCache.Harness.Relays;

namespace TenantCache.Harness.Faults;

/// <summary>Picks the node a fault hits: seeded, one at a time.</summary>
public sealed class NodePicker(IReadOnlyList<ILocalServer> nodes, int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>The nodes to pick from.</summary>
    public IReadOnlyList<ILocalServer> Nodes { get; } = nodes;

    /// <summary>The next node to hit.</summary>
    public ILocalServer Next()
    {
        lock (_random)
        {
            return Nodes[_random.Next(Nodes.Count)];
        }
    }
}

/// <summary><c>restart</c>: a node is killed and restarted at once, empty, on the same port (every token and entry on it lost).</summary>
public sealed class RestartFault(NodePicker nodes) : IFault
{
    private int _count;

    /// <inheritdoc/>
    public string Name => "restart";

    /// <summary>Restarts done so far.</summary>
    public int Count => _count;

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await nodes.Next().RestartAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _count);
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// <c>kill</c>: a node is killed and left down for the fault's hold, and at least <c>minimumDown</c> (the
/// client marks it down and fails fast; a Redis Cluster marks it failed after its node timeout), then
/// brought back, empty, on the same port.
/// </summary>
public sealed class KillFault(NodePicker nodes, TimeSpan minimumDown = default) : IFault
{
    private ILocalServer? _killed;
    private long _killedAt;

    /// <inheritdoc/>
    public string Name => "kill";

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var node = nodes.Next();
        _killed = node;
        node.Kill();
        _killedAt = Stopwatch.GetTimestamp();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _killed, null) is { } node)
        {
            var left = MinimumDown - Stopwatch.GetElapsedTime(_killedAt);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, CancellationToken.None).ConfigureAwait(false);
            }

            await node.RestartAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The shortest time a node stays down.</summary>
    public TimeSpan MinimumDown { get; } = minimumDown;
}

/// <summary>
/// <c>pause</c>: a node is stopped with SIGSTOP for longer than the client's operation timeout (at
/// least <see cref="MinimumPause"/>, whatever the runner's hold), then continued with SIGCONT. Its
/// data survives; requests to it time out meanwhile, and commands the client gave up on may still
/// be executed when it continues.
/// </summary>
public sealed class PauseFault(NodePicker nodes, TimeSpan minimumPause) : IFault
{
    private ILocalServer? _paused;
    private long _pausedAt;

    /// <inheritdoc/>
    public string Name => "pause";

    /// <summary>The shortest time the node stays paused.</summary>
    public TimeSpan MinimumPause { get; } = minimumPause;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var node = nodes.Next();
        node.Pause();
        _pausedAt = Stopwatch.GetTimestamp();
        _paused = node;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
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
                await Task.Delay(left, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            node.Resume();
        }
    }
}

/// <summary><c>relay</c>: while on, the relays in front of the nodes reset connections at random, including mid-reply.</summary>
public sealed class RelayFault(IReadOnlyList<TcpRelay> relays) : IFault
{
    /// <inheritdoc/>
    public string Name => "relay";

    /// <summary>The relays the fault switches.</summary>
    public IReadOnlyList<TcpRelay> Relays { get; } = relays;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var relay in Relays)
        {
            relay.Chaos = true;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var relay in Relays)
        {
            relay.Chaos = false;
        }

        return Task.CompletedTask;
    }
}
