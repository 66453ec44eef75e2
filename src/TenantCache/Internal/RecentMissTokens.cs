namespace TenantCache.Internal;

/// <summary>
/// The level tokens that recent read misses saw, per store key, so that a later plain write of the
/// key (IDistributedCache's get-miss → compute → set) can be stamped with the tokens read
/// <em>before</em> the value was computed, as <c>GetOrCreate</c> is (I1). Bounded in age (every
/// miss is remembered for <see cref="Window"/> after it, on the engine's clock) and in count (the
/// least recently missed tokens are forgotten first, and counted); a key it does not hold is written
/// as before, with the tokens read at write time.
/// </summary>
/// <remarks>
/// A key may hold several token sets: one per distinct set that misses read, each remembered until
/// <see cref="Window"/> after the last miss that read it. A write is stamped with the oldest set still
/// held: tokens older than the current ones are always safe (at worst the entry written with them is
/// dead), and every miss is covered for a full window, even one that read the same tokens as an
/// earlier miss. After an invalidation no miss reads the old set any more, so entries written for the
/// key are dead for at most one window. Thread-safe; one lock, held for a few dictionary operations.
/// </remarks>
internal sealed class RecentMissTokens
{
    /// <summary>The most token sets remembered per engine.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>How long a miss's tokens are remembered after it.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly Action? _forgotLive;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<Remembered>> _byKey = new(StringComparer.Ordinal);

    // One item per miss, in time order; an item is stale once its set was refreshed by a later miss or removed.
    private readonly Queue<(string Key, Remembered Set, long Stamp)> _timeline = new();
    private int _count;

    public RecentMissTokens(TimeProvider time, int capacity = DefaultCapacity, Action? forgotLive = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time;
        _capacity = capacity;
        _forgotLive = forgotLive;
    }

    /// <summary>How many token sets are held (expired ones included until the next <see cref="Remember"/>).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Remembers the tokens a miss of <paramref name="storeKey"/> read, for <see cref="Window"/> from now.</summary>
    public void Remember(string storeKey, ulong[] tokens)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            ForgetExpired(now);
            if (!_byKey.TryGetValue(storeKey, out var sets))
            {
                sets = new List<Remembered>(1);
                _byKey.Add(storeKey, sets);
            }

            var set = sets.Find(s => s.Tokens.AsSpan().SequenceEqual(tokens));
            if (set is null)
            {
                if (_count >= _capacity)
                {
                    ForgetLeastRecent();
                }

                set = new Remembered(tokens);
                sets.Add(set);
                _count++;
            }

            set.LastMiss = now;
            _timeline.Enqueue((storeKey, set, now));
            if (_timeline.Count > (4 * _capacity) + 64)
            {
                Compact();
            }
        }
    }

    /// <summary>The oldest tokens a miss of <paramref name="storeKey"/> read within the window, or <see langword="null"/>.</summary>
    public ulong[]? Recall(string storeKey)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_byKey.TryGetValue(storeKey, out var sets))
            {
                foreach (var set in sets)
                {
                    if (!IsExpired(set.LastMiss, now))
                    {
                        return set.Tokens;
                    }
                }
            }

            return null;
        }
    }

    private void ForgetExpired(long now)
    {
        while (_timeline.TryPeek(out var item))
        {
            if (IsCurrent(item) && !IsExpired(item.Stamp, now))
            {
                return;
            }

            _timeline.Dequeue();
            if (IsCurrent(item))
            {
                Remove(item.Key, item.Set);
            }
        }
    }

    private void ForgetLeastRecent()
    {
        while (_timeline.TryDequeue(out var item))
        {
            if (IsCurrent(item))
            {
                Remove(item.Key, item.Set);
                _forgotLive?.Invoke(); // still inside its window: a write of that key loses its protection
                return;
            }
        }
    }

    private void Compact()
    {
        var live = _timeline.Where(IsCurrent).ToArray();
        _timeline.Clear();
        foreach (var item in live)
        {
            _timeline.Enqueue(item);
        }
    }

    private void Remove(string key, Remembered set)
    {
        set.Removed = true;
        _count--;
        var sets = _byKey[key];
        sets.Remove(set);
        if (sets.Count == 0)
        {
            _byKey.Remove(key);
        }
    }

    private static bool IsCurrent((string Key, Remembered Set, long Stamp) item) => !item.Set.Removed && item.Set.LastMiss == item.Stamp;

    private bool IsExpired(long at, long now) => _time.GetElapsedTime(at, now) >= Window;

    private sealed class Remembered(ulong[] tokens)
    {
        public ulong[] Tokens { get; } = tokens;

        public long LastMiss { get; set; }

        public bool Removed { get; set; }
    }
}
