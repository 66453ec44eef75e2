using System.Buffers;

namespace TenantCache.Memcached.Internal;

/// <summary>
/// The bytes of one command, in an array rented from the shared pool and returned once the command
/// has been copied to the socket (or failed). Grows by renting a larger array.
/// </summary>
internal sealed class CommandBuffer : IBufferWriter<byte>
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(256);
    private int _length;

    /// <summary>The command as written so far; empty once released.</summary>
    public ReadOnlyMemory<byte> Written => _array.AsMemory(0, _length);

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_array.Length - _length))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Advanced past the space handed out.");
        }

        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var start = Reserve(sizeHint); // may replace the array: read it after
        return _array.AsMemory(start);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var start = Reserve(sizeHint);
        return _array.AsSpan(start);
    }

    /// <summary>Returns the array to the pool; safe to call more than once.</summary>
    public void Release()
    {
        var array = Interlocked.Exchange(ref _array, []);
        _length = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    /// <summary>Makes room for at least <paramref name="sizeHint"/> bytes (1 when 0) and returns where they start.</summary>
    private int Reserve(int sizeHint)
    {
        var wanted = _length + Math.Max(sizeHint, 1);
        if (wanted > _array.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(wanted, _array.Length * 2));
            _array.AsSpan(0, _length).CopyTo(larger);
            if (_array.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_array);
            }

            _array = larger;
        }

        return _length;
    }
}
