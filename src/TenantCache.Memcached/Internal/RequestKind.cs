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

    /// <summary>
    /// <c>md … I q</c> and <c>mg … v</c> of the same key, sharing one opaque, written as one request: the
    /// <c>md</c> answers only when it did not mark (<c>EX</c>/<c>NF</c>, taken by the reader as the request's
    /// <see cref="PendingRequest.Prelude"/>), then the <c>mg</c> answers and completes the request.
    /// </summary>
    MarkStale,
}

internal static class RequestKindExtensions
{
    /// <summary>Whether <paramref name="reply"/> is the reply a request of this kind may get before its own (see <see cref="RequestKind.MarkStale"/>).</summary>
    public static bool AcceptsPrelude(this RequestKind kind, MetaReplyKind reply) =>
        kind == RequestKind.MarkStale && reply is MetaReplyKind.Exists or MetaReplyKind.NotFound;

    public static bool Accepts(this RequestKind kind, MetaReplyKind reply) => kind switch
    {
        RequestKind.Get => reply is MetaReplyKind.Value or MetaReplyKind.Miss or MetaReplyKind.Success,
        RequestKind.Store => reply is MetaReplyKind.Success or MetaReplyKind.NotStored or MetaReplyKind.Exists or MetaReplyKind.NotFound,
        RequestKind.Delete => reply is MetaReplyKind.Success or MetaReplyKind.NotFound or MetaReplyKind.Exists,
        RequestKind.Arithmetic => reply is MetaReplyKind.Success or MetaReplyKind.Value or MetaReplyKind.NotFound or MetaReplyKind.NotStored or MetaReplyKind.Exists,
        RequestKind.NoOp => reply is MetaReplyKind.NoOp,
        RequestKind.MarkStale => reply is MetaReplyKind.Value or MetaReplyKind.Miss,
        _ => false,
    };
}
