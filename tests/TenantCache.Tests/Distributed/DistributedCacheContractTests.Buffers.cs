using System.Buffers;
using System.Runtime.InteropServices;

namespace TenantCache.Tests.Distributed;

/// <summary>The IBufferDistributedCache paths HybridCache uses: ReadOnlySequence in, IBufferWriter out.</summary>
public abstract partial class DistributedCacheContractTests
{
    public enum SequenceKind
    {
        FullArray,
        PaddedArray,
        NotAnArray,
        MultiSegment,
    }

    [Theory]
    [InlineData(0, SequenceKind.FullArray)]
    [InlineData(1024, SequenceKind.FullArray)]
    [InlineData(0, SequenceKind.PaddedArray)]
    [InlineData(1024, SequenceKind.PaddedArray)]
    [InlineData(128, SequenceKind.NotAnArray)]
    [InlineData(16 * 1024, SequenceKind.NotAnArray)]
    [InlineData(128, SequenceKind.MultiSegment)]
    [InlineData(16 * 1024, SequenceKind.MultiSegment)]
    public async Task A_sequence_written_is_read_back_exactly_through_every_path(int size, SequenceKind kind)
    {
        var cache = NewCache();
        var payload = Sequences.Invent(size, kind);
        var expected = payload.ToArray();
        Assert.Equal(kind == SequenceKind.MultiSegment, !payload.IsSingleSegment);

        cache.Set("sync", payload, FiveMinutes);
        await cache.SetAsync("async", payload, FiveMinutes);

        var writer = new ArrayBufferWriter<byte>();
        Assert.True(cache.TryGet("sync", writer));
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
        writer.Clear();
        Assert.True(await cache.TryGetAsync("async", writer));
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
        Assert.Equal(expected, await cache.GetAsync("sync"));
    }

    [Fact]
    public async Task A_miss_writes_nothing_and_a_hit_appends_exactly_the_value()
    {
        var cache = NewCache();
        var writer = new ArrayBufferWriter<byte>();
        writer.Write<byte>([9, 9]);
        Assert.False(await cache.TryGetAsync("nothing", writer));
        Assert.False(cache.TryGet("nothing", writer));
        Assert.Equal(2, writer.WrittenCount);

        await cache.SetAsync("k", [1, 2, 3], FiveMinutes);
        Assert.True(await cache.TryGetAsync("k", writer));
        Assert.Equal([9, 9, 1, 2, 3], writer.WrittenSpan.ToArray());
    }

    [Fact]
    public async Task Bytes_written_through_either_interface_read_through_the_other()
    {
        var cache = NewCache();
        await cache.SetAsync("array", [1, 2], FiveMinutes);
        await cache.SetAsync("sequence", Sequences.Invent(64, SequenceKind.MultiSegment), FiveMinutes);
        var writer = new ArrayBufferWriter<byte>();
        Assert.True(await cache.TryGetAsync("array", writer));
        Assert.Equal([1, 2], writer.WrittenSpan.ToArray());
        Assert.Equal(64, (await cache.GetAsync("sequence"))!.Length);
    }

    /// <summary>Payloads of each shape, with random bytes.</summary>
    private static class Sequences
    {
        public static ReadOnlySequence<byte> Invent(int size, SequenceKind kind)
        {
            var bytes = new byte[size + 20];
            Random.Shared.NextBytes(bytes);
            switch (kind)
            {
                case SequenceKind.FullArray:
                    return new ReadOnlySequence<byte>(bytes.AsMemory(0, size).ToArray());
                case SequenceKind.PaddedArray:
                    return new ReadOnlySequence<byte>(bytes, 7, size);
                case SequenceKind.NotAnArray:
                    var memory = new NativeLikeMemory(bytes.AsSpan(0, size).ToArray()).Memory;
                    Assert.False(MemoryMarshal.TryGetArray<byte>(memory, out _));
                    return new ReadOnlySequence<byte>(memory);
                default:
                    // Three segments: the tail of the first, all of the middle, the head of the last.
                    var first = new Segment(bytes.AsMemory(0, 10), null);
                    var middle = new Segment(bytes.AsMemory(10, size - 7), first);
                    var last = new Segment(bytes.AsMemory(size + 3, 10), middle);
                    return new ReadOnlySequence<byte>(first, 7, last, 4);
            }
        }

        private sealed class Segment : ReadOnlySequenceSegment<byte>
        {
            public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
            {
                Memory = memory;
                if (previous is not null)
                {
                    RunningIndex = previous.RunningIndex + previous.Memory.Length;
                    previous.Next = this;
                }
            }
        }

        /// <summary>Memory that is not backed by an array the caller could reach.</summary>
        private sealed class NativeLikeMemory(byte[] data) : MemoryManager<byte>
        {
            public override Span<byte> GetSpan() => data;

            public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

            public override void Unpin() => throw new NotSupportedException();

            protected override bool TryGetArray(out ArraySegment<byte> segment)
            {
                segment = default;
                return false;
            }

            protected override void Dispose(bool disposing)
            {
            }
        }
    }
}
