using System.Buffers;
using System.Net.Sockets;

namespace TenantCache.Memcached.Internal;

internal sealed partial class MemcachedConnection
{
    private const int WriteBatchSize = 64 * 1024;

    /// <summary>
    /// Drains the queue, copying small commands into one batch buffer so that many concurrent callers
    /// share one send; a request enters the FIFO before its bytes leave, so its reply always finds it.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        byte[] batch = ArrayPool<byte>.Shared.Rent(WriteBatchSize);
        int used = 0;
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out PendingRequest? head))
                {
                    // A batch travels as its head with followers, so all of it goes out in one send:
                    // written one by one, memcached could answer the first before the rest arrive.
                    PendingRequest[]? followers = head.TakeFollowers();
                    for (int i = -1; i < (followers?.Length ?? 0); i++)
                    {
                        PendingRequest request = i < 0 ? head : followers![i];
                        if (!request.TryMarkWritten() || !TryAddInFlight(request))
                        {
                            request.ReleaseBuffer();
                            continue;
                        }

                        ReadOnlyMemory<byte> bytes = request.Buffer.WrittenMemory;
                        if (bytes.Length > batch.Length - used && used > 0)
                        {
                            await SendAllAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                            used = 0;
                        }

                        if (bytes.Length > batch.Length)
                        {
                            try
                            {
                                await SendAllAsync(bytes).ConfigureAwait(false);
                            }
                            finally
                            {
                                request.ReleaseBuffer();
                            }
                        }
                        else
                        {
                            bytes.Span.CopyTo(batch.AsSpan(used));
                            used += bytes.Length;
                            request.ReleaseBuffer();
                        }
                    }
                }

                if (used > 0)
                {
                    await SendAllAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                    used = 0;
                }
            }
        }
        catch (Exception e)
        {
            Fail(e as MemcachedException ?? new MemcachedConnectionException($"Writing to memcached {Endpoint} failed: {e.Message}", e));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }
}
