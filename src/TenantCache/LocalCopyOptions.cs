namespace TenantCache;

/// <summary>
/// The in-process copy of entries' values (opt-in): a hit on an entry whose stored bytes did not change
/// since this process last read them moves no value bytes — the store is asked for the item's CAS only,
/// and the copy is used when it matches. Meant for large values (HTTP responses). Needs a store that
/// keeps CAS and flags (<see cref="Stores.ICasCacheStore"/>: memcached, the in-process store).
/// </summary>
/// <remarks>
/// <para>What a reader sees is exactly what a read of the store would return at that moment: the copy
/// is used only when the item's CAS — which changes with every write, by any process — equals the
/// copy's, and the envelope is then checked against the current version tokens as always (I1 holds
/// unchanged). An entry overwritten by another process is read afresh by the next read here.</para>
/// <para>Which entries are copied is decided when they are written: an entry is marked for copying
/// when <see cref="CacheEntryOptions.LocalCopy"/> says so, or, when it says nothing, when
/// <see cref="Enabled"/> is set for the writing application. The mark travels with the entry (in its
/// flags), so every process that reads it keeps a copy, within its own <see cref="MaxBytes"/>.</para>
/// </remarks>
public sealed class LocalCopyOptions
{
    /// <summary>The default memory bound: 64 MiB.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>Marks every entry this application writes for copying, unless the entry says otherwise.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The memory this process gives to copies (values and keys, approximately); least recently used
    /// copies go first. A value larger than an eighth of it is not copied. 0 keeps no copies.
    /// </summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;
}
