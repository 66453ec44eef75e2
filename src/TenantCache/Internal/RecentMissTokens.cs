namespace TenantCache.Internal;

/// <summary>
/// The level tokens that recent read misses saw, per store key, so that a later plain write of the
/// key (IDistributedCache's get-miss → compute → set) can be stamped with the tokens read
/// <em>before</em> the value was computed, as <c>GetOrCreate</c> is (I1). Bounded in age
/// (<see cref="Window"/>, on the engine's clock) and in count (the oldest is forgotten first);
/// a key it does not hold is written as before, with the tokens read at write time.
/// </summary>
/// <remarks>
/// A key's first miss in the window wins: a second miss does not replace its tokens, because the
/// caller of the first may still be computing, and tokens older than the current ones are always
/// safe (at worst the entry written with them is dead). Thread-safe; one lock, held for a
/// dictionary operation.
/// </remarks>
internal sealed class RecentMissTokens
{
    /// <summary>The most keys remembered per engine.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>How long a miss's tokens are remembered.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly object _gate = new();
    private readonly Dictionary<string, Remembered> _byKey = new(StringComparer.Ordinal);
    private readonly Queue<string> _oldestFirst = new(); // one item per key held, in the order remembered

    public RecentMissTokens(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time;
        _capacity = capacity;
    }

    /// <summary>How many keys are held (expired ones included until the next <see cref="Remember"/>).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byKey.Count;
            }
        }
    }

    /// <summary>Remembers the tokens a miss of <paramref name="storeKey"/> read, unless a miss in the window already did.</summary>
    public void Remember(string storeKey, ulong[] tokens)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            ForgetExpired(now);
            if (_byKey.ContainsKey(storeKey))
            {
                return;
            }

            if (_byKey.Count >= _capacity)
            {
                _byKey.Remove(_oldestFirst.Dequeue());
            }

            _byKey.Add(storeKey, new Remembered(tokens, now));
            _oldestFirst.Enqueue(storeKey);
        }
    }

    /// <summary>The tokens a miss of <paramref name="storeKey"/> read within the window, or <see langword="null"/>.</summary>
    public ulong[]? Recall(string storeKey)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            return _byKey.TryGetValue(storeKey, out var remembered) && !IsExpired(remembered.At, now) ? remembered.Tokens : null;
        }
    }

    private void ForgetExpired(long now)
    {
        // Keys are queued in the order remembered and never re-queued while held, so the expired ones are at the front.
        while (_oldestFirst.TryPeek(out var key) && IsExpired(_byKey[key].At, now))
        {
            _byKey.Remove(_oldestFirst.Dequeue());
        }
    }

    private bool IsExpired(long at, long now) => _time.GetElapsedTime(at, now) >= Window;

    private readonly record struct Remembered(ulong[] Tokens, long At);
}
