using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;

namespace TenantCache.Harness.Relays;

// One relayed connection: client-to-server bytes copied as they come; server-to-client chunks
// queued (bounded) with their release time and written in order once it has passed.
public sealed partial class DelayingRelay
{
    private async Task ServeAsync(Socket client)
    {
        client.NoDelay = true;
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var queue = Channel.CreateBounded<(byte[] Buffer, int Length, long Release)>(
            new BoundedChannelOptions(MaxQueuedChunks) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        try
        {
            await server.ConnectAsync(_upstream, connection.Token).ConfigureAwait(false);
            var up = CopyAsync(client, server, connection.Token);
            var down = Task.WhenAll(ReadRepliesAsync(server, queue.Writer, connection.Token), WriteRepliesAsync(queue.Reader, client, connection.Token));
            await Task.WhenAny(up, down).ConfigureAwait(false);

            // Either side ended or failed: end the other, then wait for both so no buffer is left out.
            await connection.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
        }
        finally
        {
            client.Dispose();
            while (queue.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReadRepliesAsync(Socket server, ChannelWriter<(byte[], int, long)> queue, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                int read;
                try
                {
                    read = await server.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return;
                }

                var hold = _delay.HoldFor(NextDouble());
                if (hold > _delay.Latency)
                {
                    Interlocked.Increment(ref _late);
                }

                var release = Stopwatch.GetTimestamp() + (long)(hold.TotalSeconds * Stopwatch.Frequency);
                if (!queue.TryWrite((buffer, read, release)))
                {
                    try
                    {
                        await queue.WriteAsync((buffer, read, release), cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private async Task WriteRepliesAsync(ChannelReader<(byte[] Buffer, int Length, long Release)> queue, Socket client, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (buffer, length, release) in queue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), release);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    }

                    // Counted before the send: a client that has its reply must find it counted.
                    Interlocked.Increment(ref _chunks);
                    await client.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            // The server closed its side and every reply went out: close ours toward the client.
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
