namespace TenantCache.Stores;

/// <content>Read-only statistics for tests and tools.</content>
public sealed partial class MemoryCacheStore
{
    /// <summary>The number of items held, including expired ones not yet removed.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The sum of <see cref="ItemCost"/> over the items held; never more than <see cref="MaxBytes"/>.</summary>
    public long CurrentBytes
    {
        get
        {
            lock (_lock)
            {
                return _currentBytes;
            }
        }
    }

    /// <summary>How many unexpired items were removed to make room for others.</summary>
    public long Evictions
    {
        get
        {
            lock (_lock)
            {
                return _evictions;
            }
        }
    }
}
