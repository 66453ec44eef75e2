namespace TenantCache.Stores;

/// <content>The items, the intrusive least-recently-used list and eviction. Callers hold <c>_lock</c>.</content>
public sealed partial class MemoryCacheStore
{
    private Entry? _head; // most recently used
    private Entry? _tail; // least recently used

    /// <summary>Returns the item under <paramref name="key"/>, or null; an expired item is removed.</summary>
    private Entry? FindLive(string key, long now)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt <= now)
        {
            Remove(entry);
            return null;
        }

        return entry;
    }

    /// <summary>Adds a new item as the most recent one, first evicting from the tail until it fits.</summary>
    private void Insert(Entry entry, long now)
    {
        while (_currentBytes + entry.Cost > _maxBytes && _tail is not null)
        {
            var victim = _tail;
            if (victim.ExpiresAt > now)
            {
                _evictions++; // expired items are reclaimed, not evicted (as memcached counts them)
            }

            Remove(victim);
        }

        _entries.Add(entry.Key, entry);
        LinkFirst(entry);
        _currentBytes += entry.Cost;
    }

    private void Remove(Entry entry)
    {
        _entries.Remove(entry.Key);
        Unlink(entry);
        _currentBytes -= entry.Cost;
    }

    private void MoveToFront(Entry entry)
    {
        if (ReferenceEquals(_head, entry))
        {
            return;
        }

        Unlink(entry);
        LinkFirst(entry);
    }

    private void LinkFirst(Entry entry)
    {
        entry.Previous = null;
        entry.Next = _head;
        if (_head is not null)
        {
            _head.Previous = entry;
        }

        _head = entry;
        _tail ??= entry;
    }

    private void Unlink(Entry entry)
    {
        if (entry.Previous is null)
        {
            _head = entry.Next;
        }
        else
        {
            entry.Previous.Next = entry.Next;
        }

        if (entry.Next is null)
        {
            _tail = entry.Previous;
        }
        else
        {
            entry.Next.Previous = entry.Previous;
        }

        entry.Previous = null;
        entry.Next = null;
    }

    private sealed class Entry(string key, byte[] value, long expiresAt, uint flags, ulong cas)
    {
        public string Key { get; } = key;

        public uint Flags { get; } = flags;

        /// <summary>Unique per write (a store-wide counter); a touch keeps it, as memcached's does; marking stale changes it.</summary>
        public ulong Cas { get; set; } = cas;

        /// <summary>Never written after construction: readers get this array's memory without a copy.</summary>
        public byte[] Value { get; } = value;

        public long Cost { get; } = ItemCost(key.Length, value.Length);

        /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value; <c>long.MaxValue</c> means never.</summary>
        public long ExpiresAt { get; set; } = expiresAt;

        /// <summary>A read won this item's lease (memcached's <c>ITEM_TOKEN_SENT</c>); only a new item or a mark clears it.</summary>
        public bool LeaseSent { get; set; }

        /// <summary>The item was marked stale (memcached's <c>ITEM_STALE</c>); only a new item clears it.</summary>
        public bool IsStale { get; set; }

        public Entry? Previous { get; set; }

        public Entry? Next { get; set; }
    }
}
