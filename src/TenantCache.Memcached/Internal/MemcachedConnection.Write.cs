using System.Buffers;
using System.Net.Sockets;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// The writer thread. It owns every request it took from the queue until that request is in the
/// FIFO or failed: a request enters the FIFO (so its reply always finds it) just before its bytes are
/// copied into the batch that goes out next; when a send fails, or the connection closed meanwhile,
/// every request it still holds is handed to <see cref="Fail(Exception, IReadOnlyList{PendingRequest})"/>
/// at once as never written.
/// </summary>
internal sealed partial class MemcachedConnection
{
    private const int WriteBatchSize = 64 * 1024;

    private enum Admission
    {
        InFlight,
        Abandoned,
        Closed,
    }

    private void WriteLoop()
    {
        var batch = ArrayPool<byte>.Shared.Rent(WriteBatchSize);
        var taken = new List<PendingRequest>();
        var held = new List<PendingRequest>();
        try
        {
            while (TakeQueued(taken))
            {
                foreach (var head in taken)
                {
                    held.AddRange(Expand(head));
                }

                taken.Clear();
                if (!WriteHeld(held, batch))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            _writerDone.TrySetResult();
        }
    }

    /// <summary>Writes <paramref name="held"/> in as few sends as possible; false when the connection is gone.</summary>
    private bool WriteHeld(List<PendingRequest> held, byte[] batch)
    {
        var used = 0;
        var next = 0;
        try
        {
            for (; next < held.Count; next++)
            {
                var request = held[next];
                var admission = Admit(request);
                if (admission == Admission.Closed)
                {
                    break;
                }

                if (admission == Admission.Abandoned)
                {
                    request.ReleaseBuffer();
                    Settled();
                    continue;
                }

                var bytes = request.Buffer.Written;
                if (bytes.Length > batch.Length - used && used > 0)
                {
                    SendAll(batch.AsSpan(0, used));
                    used = 0;
                }

                if (bytes.Length > batch.Length)
                {
                    SendAll(bytes.Span);
                }
                else
                {
                    bytes.Span.CopyTo(batch.AsSpan(used));
                    used += bytes.Length;
                }

                request.ReleaseBuffer();
            }

            if (used > 0 && next == held.Count)
            {
                SendAll(batch.AsSpan(0, used));
            }
        }
        catch (Exception e)
        {
            // The request being copied when the send failed is in the FIFO already; the rest were never written.
            var unsent = next < held.Count ? next + 1 : held.Count;
            Fail(e as MemcachedException ?? new MemcachedConnectionException($"Writing to memcached {Endpoint} failed: {e.Message}", e), held.GetRange(unsent, held.Count - unsent));
            held.Clear();
            return false;
        }

        if (next < held.Count)
        {
            Fail(FailureOrClosed(), held.GetRange(next, held.Count - next));
            held.Clear();
            return false;
        }

        held.Clear();
        MarkActivity();
        return true;
    }

    /// <summary>Puts a request in the FIFO, unless its caller gave up or the connection is closed.</summary>
    private Admission Admit(PendingRequest request)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                return Admission.Closed;
            }

            if (!request.TryMarkWritten())
            {
                return Admission.Abandoned;
            }

            request.SentTimestamp = _timeProvider.GetTimestamp();
            _inFlight.Enqueue(request);
            return Admission.InFlight;
        }
    }

    private void SendAll(ReadOnlySpan<byte> bytes) => _transport.Send(bytes);
}
