namespace TenantCache.Internal;

/// <summary>
/// The in-process copies of entries' envelopes (<see cref="LocalCopyOptions"/>), each with the CAS of
/// the stored item it copies. Bounded in bytes, least recently used first out.
/// </summary>
internal sealed class LocalCopies
{
    /// <summary>The client flags of an entry marked for copies: 'C' in the top byte, bit 0 set.</summary>
    public const uint MarkFlags = (0x43u << 24) | 1;

    /// <summary>What a copy costs beyond its key and value (node, dictionary slot), roughly.</summary>
    private const int Overhead = 96;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Copy> _copies = new(StringComparer.Ordinal);
    private readonly long _maxBytes;
    private readonly string _application;
    private Copy? _head; // most recently used
    private Copy? _tail;
    private long _bytes;
    private int _count; // read without the lock: an engine with no marked entry pays no lock per read

    public LocalCopies(long maxBytes, string application)
    {
        _maxBytes = maxBytes;
        _application = application;
    }

    /// <summary>Whether an item's flags mark it for copies.</summary>
    public static bool IsMarked(uint flags) => (flags & 0xFF00_0000) == 0x4300_0000 && (flags & 1) != 0;

    /// <summary>Approximate bytes held.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The copy of <paramref name="key"/>, if any: its bytes and the CAS of the item they came from.</summary>
    public bool TryGet(string key, out ulong cas, out byte[] envelope)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            cas = 0;
            envelope = [];
            return false;
        }

        lock (_lock)
        {
            if (_copies.TryGetValue(key, out var copy))
            {
                Unlink(copy);
                LinkFirst(copy);
                cas = copy.Cas;
                envelope = copy.Envelope;
                return true;
            }
        }

        cas = 0;
        envelope = [];
        return false;
    }

    /// <summary>Keeps a copy of <paramref name="envelope"/> (copied) read from an item with <paramref name="cas"/>.</summary>
    public void Put(string key, ulong cas, ReadOnlySpan<byte> envelope)
    {
        var cost = Overhead + (key.Length * 2L) + envelope.Length;
        if (cas == 0 || cost > _maxBytes / 8)
        {
            Remove(key);
            return;
        }

        var copy = new Copy(key, cas, envelope.ToArray(), cost);
        var evicted = 0;
        lock (_lock)
        {
            if (_copies.Remove(key, out var old))
            {
                Unlink(old);
                _bytes -= old.Cost;
            }

            _copies[key] = copy;
            LinkFirst(copy);
            _bytes += cost;
            while (_bytes > _maxBytes && _tail is { } last && !ReferenceEquals(last, copy))
            {
                _copies.Remove(last.Key);
                Unlink(last);
                _bytes -= last.Cost;
                evicted++;
            }

            Volatile.Write(ref _count, _copies.Count);
        }

        CacheMetrics.LocalCopyStored(_application);
        if (evicted > 0)
        {
            CacheMetrics.LocalCopiesEvicted(_application, evicted);
        }
    }

    public void Remove(string key)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_copies.Remove(key, out var old))
            {
                Unlink(old);
                _bytes -= old.Cost;
                Volatile.Write(ref _count, _copies.Count);
            }
        }
    }

    private void LinkFirst(Copy copy)
    {
        copy.Next = _head;
        copy.Previous = null;
        if (_head is not null)
        {
            _head.Previous = copy;
        }

        _head = copy;
        _tail ??= copy;
    }

    private void Unlink(Copy copy)
    {
        if (copy.Previous is not null)
        {
            copy.Previous.Next = copy.Next;
        }
        else if (ReferenceEquals(_head, copy))
        {
            _head = copy.Next;
        }

        if (copy.Next is not null)
        {
            copy.Next.Previous = copy.Previous;
        }
        else if (ReferenceEquals(_tail, copy))
        {
            _tail = copy.Previous;
        }

        copy.Previous = null;
        copy.Next = null;
    }

    private sealed class Copy(string key, ulong cas, byte[] envelope, long cost)
    {
        public string Key { get; } = key;

        public ulong Cas { get; } = cas;

        /// <summary>Never written after construction: readers decode from it directly.</summary>
        public byte[] Envelope { get; } = envelope;

        public long Cost { get; } = cost;

        public Copy? Previous { get; set; }

        public Copy? Next { get; set; }
    }
}
