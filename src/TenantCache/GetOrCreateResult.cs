namespace TenantCache;

/// <summary>
/// The answer of <see cref="CacheScopeExtensions.GetOrCreateWithOutcomeAsync{T}(ICacheScope, string, Func{CancellationToken, ValueTask{T}}, CacheEntryOptions?, CancellationToken)"/>:
/// the value and where it came from, for example to send <c>X-Cache: HIT</c> or <c>MISS</c>.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly struct GetOrCreateResult<T>
{
    /// <summary>Creates a result (for test doubles; the cache creates its own).</summary>
    public GetOrCreateResult(T value, GetOrCreateOutcome outcome)
    {
        Value = value;
        Outcome = outcome;
    }

    /// <summary>The value, read or computed.</summary>
    public T Value { get; }

    /// <summary>Where <see cref="Value"/> came from.</summary>
    public GetOrCreateOutcome Outcome { get; }

    /// <summary>Whether the value was read from the cache (<see cref="GetOrCreateOutcome.Hit"/>).</summary>
    public bool IsHit => Outcome == GetOrCreateOutcome.Hit;

    /// <summary>Deconstructs into the value and the outcome: <c>var (value, outcome) = await ...</c>.</summary>
    public void Deconstruct(out T value, out GetOrCreateOutcome outcome)
    {
        value = Value;
        outcome = Outcome;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Outcome}({Value})";
}
