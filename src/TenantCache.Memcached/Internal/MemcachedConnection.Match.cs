using System.Buffers.Text;
using System.Text;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// Whether a reply answers the oldest request in flight: its kind and opaque must belong to it. A
/// <see cref="RequestKind.MarkStale"/> request may get one reply before its own (the quiet <c>md</c>'s
/// <c>EX</c> or <c>NF</c>, checked by opaque only); it stays in flight until the <c>mg</c>'s reply.
/// </summary>
internal sealed partial class MemcachedConnection
{
    /// <summary>Why <paramref name="reply"/> cannot be the answer to <paramref name="request"/>, or null.</summary>
    private static string? Mismatch(PendingRequest request, ref MetaReply reply)
    {
        switch (reply.Kind)
        {
            case MetaReplyKind.Error:
                return "the server answered ERROR (unknown command)";
            case MetaReplyKind.ClientError:
                // The one CLIENT_ERROR a client cannot prevent, and after which the stream is intact.
                return request.Kind == RequestKind.Arithmetic && reply.ErrorMessage.StartsWith("cannot increment or decrement non-numeric value"u8)
                    ? null
                    : "the server answered CLIENT_ERROR " + Encoding.ASCII.GetString(reply.ErrorMessage);
            case MetaReplyKind.ServerError:
                // Error lines carry no opaque; SERVER_ERROR (out of memory, ...) answers the oldest request,
                // unless that request is two commands: then nobody can tell which one it answers.
                return request.Kind == RequestKind.MarkStale
                    ? "the server answered SERVER_ERROR " + Encoding.ASCII.GetString(reply.ErrorMessage) + " to an md+mg pair (which of the two it answers is unknown)"
                    : null;
        }

        if (!request.Kind.Accepts(reply.Kind))
        {
            return $"reply {reply.Kind} cannot answer a {request.Kind} request";
        }

        return OpaqueMismatch(request, ref reply);
    }

    private static string? OpaqueMismatch(PendingRequest request, ref MetaReply reply)
    {
        if (request.Opaque == 0)
        {
            return reply.HasOpaque ? "an unexpected opaque was echoed" : null;
        }

        if (!reply.HasOpaque || !Utf8Parser.TryParse(reply.Opaque, out uint opaque, out var used) || used != reply.Opaque.Length || opaque != request.Opaque)
        {
            return $"reply opaque '{Encoding.ASCII.GetString(reply.Opaque)}' does not match request opaque '{request.Opaque}'";
        }

        return null;
    }
}
