using System.Buffers;
using System.Text;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Tests.Memcached;

public sealed class ProtocolWriterTests
{
    private static string Text(ArrayBufferWriter<byte> buffer) => Encoding.ASCII.GetString(buffer.WrittenSpan);

    [Fact]
    public void Get_with_every_flag_touch_and_opaque()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetaCommandWriter.WriteGet(buffer, "user:1", MetaGetFlags.Value | MetaGetFlags.ClientFlags | MetaGetFlags.Cas | MetaGetFlags.Ttl | MetaGetFlags.Size | MetaGetFlags.Key | MetaGetFlags.Quiet, 30, "42"u8);
        Assert.Equal("mg user:1 v f c t s k q T30 O42\r\n", Text(buffer));
    }

    [Fact]
    public void Plain_get_and_touch_only()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetaCommandWriter.WriteGet(buffer, "k", MetaGetFlags.Value, null, default);
        MetaCommandWriter.WriteGet(buffer, "k", MetaGetFlags.None, 0, "1"u8);
        Assert.Equal("mg k v\r\nmg k T0 O1\r\n", Text(buffer));
    }

    [Fact]
    public void Lease_flags_come_before_t_so_a_placeholder_reports_its_ttl()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetaCommandWriter.WriteGet(buffer, "k", MetaGetFlags.Value | MetaGetFlags.ClientFlags | MetaGetFlags.Cas | MetaGetFlags.Ttl, null, new MetaLease(30, 0), "1"u8);
        MetaCommandWriter.WriteGet(buffer, "k", MetaGetFlags.ClientFlags | MetaGetFlags.Cas | MetaGetFlags.Ttl, null, new MetaLease(5, 120), "2"u8);
        Assert.Equal("mg k v f c N30 t O1\r\nmg k f c N5 R120 t O2\r\n", Text(buffer));
    }

    [Fact]
    public void Delete_with_cas_mark_stale_and_quiet()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetaCommandWriter.WriteDelete(buffer, "k", 77, 30, quiet: true, "8"u8);
        MetaCommandWriter.WriteDelete(buffer, "k", 77, null, quiet: false, "9"u8);
        MetaCommandWriter.WriteDelete(buffer, "k", 0, 1, quiet: false, default);
        Assert.Equal("md k C77 I T30 q O8\r\nmd k C77 O9\r\nmd k I T1\r\n", Text(buffer));
    }

    [Theory]
    [InlineData(0, 0u, 0ul, "ms k 3\r\nabc\r\n")]
    [InlineData(0, 0u, 0ul, "ms k 3 T60 O5\r\nabc\r\n", 60L, "5")]
    [InlineData(1, 7u, 0ul, "ms k 3 F7 ME\r\nabc\r\n")]
    [InlineData(2, 0u, 99ul, "ms k 3 C99 MR\r\nabc\r\n")]
    [InlineData(0, 4294967295u, 0ul, "ms k 3 T-1 F4294967295\r\nabc\r\n", -1L)]
    public void Store_lines(int mode, uint flags, ulong cas, string expected, long ttl = 0, string opaque = "")
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetaCommandWriter.WriteStore(buffer, "k", "abc"u8, 100, (MetaStoreMode)mode, ttl, flags, cas, Encoding.ASCII.GetBytes(opaque));
        Assert.Equal(expected, Text(buffer));
    }

    [Fact]
    public void Delete_noop_and_arithmetic()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetaCommandWriter.WriteDelete(buffer, "k", "3"u8);
        MetaCommandWriter.WriteNoOp(buffer);
        MetaCommandWriter.WriteArithmetic(buffer, "c", true, 5, null, 0, "4"u8);
        MetaCommandWriter.WriteArithmetic(buffer, "c", false, 2, 10, 60, "5"u8);
        Assert.Equal("md k O3\r\nmn\r\nma c D5 MI v O4\r\nma c N60 J10 D2 MD v O5\r\n", Text(buffer));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("a\u0000")]
    [InlineData("é")]
    [InlineData("\u007f")]
    public void Invalid_keys_throw_and_write_nothing(string key)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteGet(buffer, key, MetaGetFlags.Value, null, default));
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteStore(buffer, key, "x"u8, 10, MetaStoreMode.Set, 0, 0, 0, default));
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteDelete(buffer, key, default));
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteArithmetic(buffer, key, true, 1, null, 0, default));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Key_length_limit_is_250()
    {
        var buffer = new ArrayBufferWriter<byte>();
        MetaCommandWriter.WriteGet(buffer, new string('a', 250), MetaGetFlags.Value, null, default);
        var written = buffer.WrittenCount;
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteGet(buffer, new string('a', 251), MetaGetFlags.Value, null, default));
        Assert.Equal(written, buffer.WrittenCount);
    }

    [Fact]
    public void Oversized_value_and_bad_opaque_throw_and_write_nothing()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteStore(buffer, "k", new byte[11], 10, MetaStoreMode.Set, 0, 0, 0, default));
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteGet(buffer, "k", MetaGetFlags.Value, null, Encoding.ASCII.GetBytes(new string('1', 32))));
        Assert.Throws<ArgumentException>(() => MetaCommandWriter.WriteGet(buffer, "k", MetaGetFlags.Value, null, "a b"u8));
        Assert.Equal(0, buffer.WrittenCount);
        MetaCommandWriter.WriteGet(buffer, "k", MetaGetFlags.Value, null, Encoding.ASCII.GetBytes(new string('1', 31)));
        Assert.True(buffer.WrittenCount > 0);
    }

    [Fact]
    public void Item_limits_match_memcached_1_6()
    {
        Assert.Equal(1_048_507, ItemLimits.MaxValueLength(1024 * 1024, 10, 0));
        Assert.Equal(1_048_503, ItemLimits.MaxValueLength(1024 * 1024, 10, 1));
    }

    [Fact]
    public void Ttl_conversion()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        Assert.Equal(0, MetaTtl.ToWire(null, clock));
        Assert.Equal(-1, MetaTtl.ToWire(TimeSpan.Zero, clock));
        Assert.Equal(1, MetaTtl.ToWire(TimeSpan.FromMilliseconds(1), clock));
        Assert.Equal(2, MetaTtl.ToWire(TimeSpan.FromMilliseconds(1500), clock));
        Assert.Equal(2_592_000, MetaTtl.ToWire(TimeSpan.FromDays(30), clock));
        Assert.Equal(1_700_000_000 + 2_592_001, MetaTtl.ToWire(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1), clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => MetaTtl.ToWire(TimeSpan.FromTicks(-1), clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => MetaTtl.ToWire(TimeSpan.FromDays(365 * 20), clock));
        Assert.Throws<ArgumentOutOfRangeException>(() => MetaTtl.ToWire(TimeSpan.MaxValue, clock));
    }

    [Property(MaxTest = 300)]
    public bool Keys_are_written_only_when_valid(string key)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var valid = key is { Length: >= 1 and <= 250 } && key.All(c => c is >= '!' and <= '~');
        try
        {
            MetaCommandWriter.WriteGet(buffer, key!, MetaGetFlags.Value, null, default);
            return valid && Text(buffer) == $"mg {key} v\r\n";
        }
        catch (ArgumentException)
        {
            return !valid && buffer.WrittenCount == 0;
        }
    }
}
