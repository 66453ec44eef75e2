using System.Buffers;
using System.Net.Sockets;
using System.Text;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Memcached.Internal;

internal sealed partial class MemcachedConnection
{
    private const int ReadBufferSize = 64 * 1024;

    /// <summary>The reader thread: blocking receives, replies matched against the FIFO as they arrive.</summary>
    private void ReadLoop()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var start = 0;
        var end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                var read = _transport.Receive(buffer.AsSpan(end));
                if (read == 0)
                {
                    Fail(new MemcachedConnectionException($"Memcached {Endpoint} closed the connection."));
                    return;
                }

                end += read;
                MarkActivity();
                if (!ProcessReplies(buffer.AsSpan(start, end - start), out var consumed))
                {
                    return;
                }

                start += consumed;
                if (start == end)
                {
                    start = 0;
                    end = 0;
                    if (buffer.Length > ReadBufferSize)
                    {
                        // A large reply grew the buffer; do not pin it for the connection's lifetime.
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
                    }
                }
            }
        }
        catch (Exception e)
        {
            Fail(e as MemcachedException ?? new MemcachedConnectionException($"Reading from memcached {Endpoint} failed: {e.Message}", e));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _readerDone.TrySetResult();
        }
    }

    /// <summary>Completes a request per complete reply; false when the stream can no longer be trusted.</summary>
    private bool ProcessReplies(ReadOnlySpan<byte> received, out int consumed)
    {
        var reader = new MetaReplyReader(received, _maxReplyValue);
        while (true)
        {
            var status = reader.TryRead(out var reply);
            if (status == MetaReadStatus.NeedMoreData)
            {
                consumed = reader.Consumed;
                return true;
            }

            if (status == MetaReadStatus.Invalid)
            {
                consumed = 0;
                Fail(new MemcachedProtocolException($"Memcached {Endpoint} sent bytes that are not a meta-protocol reply; the connection was closed."));
                return false;
            }

            var request = TakeInFlight(reply.Kind, out var prelude);
            if (request is not null && !prelude)
            {
                Settled();
            }

            var problem = request is null ? "a reply arrived with no request in flight"
                : prelude ? OpaqueMismatch(request, ref reply)
                : Mismatch(request, ref reply);
            if (problem is not null)
            {
                consumed = 0;
                var exception = new MemcachedProtocolException($"Memcached {Endpoint}: {problem}; the connection was closed.");
                request?.Fail(exception);
                Fail(exception);
                return false;
            }

            if (prelude)
            {
                request!.Prelude = reply.Kind; // the request stays in flight for its own reply
            }
            else if (reply.Kind == MetaReplyKind.ClientError)
            {
                request!.Fail(new MemcachedException($"Memcached {Endpoint} answered CLIENT_ERROR {Encoding.ASCII.GetString(reply.ErrorMessage)}"));
            }
            else if (reply.Kind == MetaReplyKind.ServerError)
            {
                var message = Encoding.ASCII.GetString(reply.ErrorMessage);
                Log.ServerError(_logger, Endpoint, message);
                request!.Fail(new MemcachedException($"Memcached {Endpoint} answered SERVER_ERROR {message}"));
            }
            else
            {
                request!.Complete(new MetaResponse(ref reply));
                if (_lagging)
                {
                    Volatile.Write(ref _lagging, false); // replies flow again (the late one comes first: FIFO)
                }
            }
        }
    }

    /// <summary>
    /// The oldest request in flight, taken out of the FIFO unless <paramref name="reply"/> is the one reply
    /// it may get before its own (<see cref="RequestKind.MarkStale"/>): then it stays, and <paramref name="prelude"/> is true.
    /// </summary>
    private PendingRequest? TakeInFlight(MetaReplyKind reply, out bool prelude)
    {
        lock (_lock)
        {
            if (!_inFlight.TryPeek(out var request))
            {
                prelude = false;
                return null;
            }

            prelude = request.Prelude == MetaReplyKind.None && request.Kind.AcceptsPrelude(reply);
            if (!prelude)
            {
                _inFlight.Dequeue();
            }

            return request;
        }
    }
}
