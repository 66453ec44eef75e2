namespace TenantCache.Memcached.Protocol;

/// <summary>
/// One parsed reply. Spans point into the buffer the <see cref="MetaReplyReader"/> reads, so they are
/// valid only until that buffer is reused.
/// </summary>
internal ref struct MetaReply
{
    /// <summary>The reply code.</summary>
    public MetaReplyKind Kind;

    /// <summary>The data block of a <c>VA</c> reply (without its trailing CRLF).</summary>
    public ReadOnlySpan<byte> Value;

    /// <summary>The <c>O</c> flag (opaque), empty when absent.</summary>
    public ReadOnlySpan<byte> Opaque;

    /// <summary>The <c>k</c> flag (key), empty when absent.</summary>
    public ReadOnlySpan<byte> Key;

    /// <summary>The message of an error line (after <c>CLIENT_ERROR</c>/<c>SERVER_ERROR</c>).</summary>
    public ReadOnlySpan<byte> ErrorMessage;

    /// <summary>Whether the <c>O</c> flag was present.</summary>
    public bool HasOpaque;

    /// <summary>The <c>c</c> flag (CAS), when <see cref="HasCas"/>.</summary>
    public ulong Cas;

    /// <summary>Whether the <c>c</c> flag was present.</summary>
    public bool HasCas;

    /// <summary>The <c>t</c> flag: remaining seconds, -1 for no expiry, when <see cref="HasTtl"/>.</summary>
    public long Ttl;

    /// <summary>Whether the <c>t</c> flag was present.</summary>
    public bool HasTtl;

    /// <summary>The <c>f</c> flag (client flags), 0 when absent.</summary>
    public uint ClientFlags;

    /// <summary>Whether the <c>f</c> flag was present.</summary>
    public bool HasClientFlags;

    /// <summary>The <c>s</c> flag (item size), when <see cref="HasSize"/>.</summary>
    public long Size;

    /// <summary>Whether the <c>s</c> flag was present.</summary>
    public bool HasSize;

    /// <summary><c>W</c>: this client won the right to recompute the item.</summary>
    public bool Won;

    /// <summary><c>Z</c>: another client already won.</summary>
    public bool AlreadyWon;

    /// <summary><c>X</c>: the item is stale.</summary>
    public bool Stale;
}
