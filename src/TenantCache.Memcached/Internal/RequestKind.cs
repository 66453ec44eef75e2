using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>Which command a request is, and so which replies may answer it.</summary>
internal enum RequestKind
{
    Get,
    Store,
    Delete,
    Arithmetic,
    NoOp,
}

internal static class RequestKindExtensions
{
    public static bool Accepts(this RequestKind kind, MetaReplyKind reply) => kind switch
    {
        RequestKind.Get => reply is MetaReplyKind.Value or MetaReplyKind.Miss or MetaReplyKind.Success,
        RequestKind.Store => reply is MetaReplyKind.Success or MetaReplyKind.NotStored or MetaReplyKind.Exists or MetaReplyKind.NotFound,
        RequestKind.Delete => reply is MetaReplyKind.Success or MetaReplyKind.NotFound or MetaReplyKind.Exists,
        RequestKind.Arithmetic => reply is MetaReplyKind.Success or MetaReplyKind.Value or MetaReplyKind.NotFound or MetaReplyKind.NotStored or MetaReplyKind.Exists,
        RequestKind.NoOp => reply is MetaReplyKind.NoOp,
        _ => false,
    };
}
