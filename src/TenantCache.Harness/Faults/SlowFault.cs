using TenantCache.Harness.Relays;

namespace TenantCache.Harness.Faults;

/// <summary>
/// <c>slow</c>: while on, the <see cref="DelayingRelay"/> in front of one node holds a share of that
/// node's replies past the client's operation timeout (<paramref name="during"/>); the server still
/// executes every command at once, so a request the client gave up on may have taken effect. Off,
/// the relay is a plain pipe again; <see cref="StopAsync"/> returns once the replies held so far are out.
/// </summary>
/// <param name="relay">The relay in front of the slow node.</param>
/// <param name="during">The delay while the fault is on, e.g. one reply in ten held twice the operation timeout.</param>
public sealed class SlowFault(DelayingRelay relay, ReplyDelay during) : IFault
{
    private int _on;

    /// <inheritdoc/>
    public string Name => "slow";

    /// <summary>The relay the fault switches.</summary>
    public DelayingRelay Relay { get; } = relay;

    /// <summary>The delay while the fault is on.</summary>
    public ReplyDelay During { get; } = during;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Relay.Delay = During;
        Volatile.Write(ref _on, 1);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _on, 0) == 0)
        {
            return;
        }

        Relay.Delay = ReplyDelay.None;

        // The chunks held so far are released within the longest hold.
        await Task.Delay(During.LateDelay > During.Latency ? During.LateDelay : During.Latency, cancellationToken).ConfigureAwait(false);
    }
}
