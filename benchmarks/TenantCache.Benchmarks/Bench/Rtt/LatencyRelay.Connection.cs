using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace TenantCache.Benchmarks.Bench.Rtt;

// One relayed connection, three dedicated threads: requests copied as they come; replies read,
// stamped with their release time and queued (bounded); a writer that sends each once it is due.
internal sealed partial class LatencyRelay
{
    private sealed class Connection(LatencyRelay relay, Socket client)
    {
        private readonly Socket _server = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly BlockingCollection<(byte[] Buffer, int Length, long Release)> _replies = new(MaxQueuedChunks);
        private readonly List<Thread> _threads = [];
        private int _closed;

        public bool IsClosed => Volatile.Read(ref _closed) == 1;

        public void Start()
        {
            try
            {
                client.NoDelay = true;
                _server.Connect(relay._upstream);
            }
            catch (SocketException)
            {
                Close();
                return;
            }

            foreach (var (name, body) in new (string, Action)[] { ("up", CopyRequests), ("read", ReadReplies), ("write", WriteReplies) })
            {
                var thread = new Thread(() => body()) { IsBackground = true, Name = $"relay :{relay.Port} {name}" };
                _threads.Add(thread);
                thread.Start();
            }
        }

        public void Join()
        {
            foreach (var thread in _threads)
            {
                thread.Join(TimeSpan.FromSeconds(1));
            }
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1)
            {
                return;
            }

            foreach (var socket in new[] { client, _server })
            {
                try
                {
                    socket.Shutdown(SocketShutdown.Both);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                }

                socket.Dispose();
            }

            _replies.CompleteAdding();
        }

        private void CopyRequests()
        {
            var buffer = new byte[ChunkBytes];
            try
            {
                int read;
                while ((read = client.Receive(buffer)) > 0)
                {
                    _server.Send(buffer.AsSpan(0, read));
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }

            Close();
        }

        private void ReadReplies()
        {
            try
            {
                while (true)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                    var read = _server.Receive(buffer);
                    if (read == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        break;
                    }

                    _replies.Add((buffer, read, Stopwatch.GetTimestamp() + relay._latencyTicks));
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
            }

            _replies.CompleteAdding();
        }

        private void WriteReplies()
        {
            try
            {
                foreach (var (buffer, length, release) in _replies.GetConsumingEnumerable())
                {
                    try
                    {
                        PreciseWait.Until(release);
                        relay.CountLateness(Stopwatch.GetTimestamp() - release);
                        client.Send(buffer.AsSpan(0, length));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
            }

            Close();
            while (_replies.TryTake(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }
    }
}
