namespace TenantCache.Memcached.Protocol;

/// <summary>The outcome of <see cref="MetaReplyReader.TryRead"/>.</summary>
internal enum MetaReadStatus
{
    /// <summary>A whole reply was parsed and consumed.</summary>
    Complete = 0,

    /// <summary>The buffer holds only part of a reply; nothing was consumed.</summary>
    NeedMoreData = 1,

    /// <summary>The bytes are not a meta-protocol reply: the stream cannot be trusted any more.</summary>
    Invalid = 2,
}
