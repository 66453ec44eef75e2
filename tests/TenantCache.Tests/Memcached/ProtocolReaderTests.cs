using System.Text;
using FsCheck.Xunit;
using TenantCache.Memcached.Protocol;

namespace TenantCache.Tests.Memcached;

public sealed class ProtocolReaderTests
{
    private static MetaReadStatus ReadOne(string text, out MetaReplyKind kind, out string value, out int consumed, Action<MetaReply>? inspect = null)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var reader = new MetaReplyReader(bytes);
        var status = reader.TryRead(out var reply);
        kind = reply.Kind;
        value = Encoding.ASCII.GetString(reply.Value);
        consumed = reader.Consumed;
        inspect?.Invoke(reply);
        return status;
    }

    [Theory]
    [InlineData("HD\r\n", (int)MetaReplyKind.Success)]
    [InlineData("HD O12\r\n", (int)MetaReplyKind.Success)]
    [InlineData("EN\r\n", (int)MetaReplyKind.Miss)]
    [InlineData("EN O7\r\n", (int)MetaReplyKind.Miss)]
    [InlineData("NS O1\r\n", (int)MetaReplyKind.NotStored)]
    [InlineData("EX O1\r\n", (int)MetaReplyKind.Exists)]
    [InlineData("NF O1\r\n", (int)MetaReplyKind.NotFound)]
    [InlineData("MN\r\n", (int)MetaReplyKind.NoOp)]
    [InlineData("ERROR\r\n", (int)MetaReplyKind.Error)]
    [InlineData("CLIENT_ERROR bad command line format\r\n", (int)MetaReplyKind.ClientError)]
    [InlineData("SERVER_ERROR out of memory storing object\r\n", (int)MetaReplyKind.ServerError)]
    public void Every_line_reply_shape_is_parsed_and_consumed(string text, int expected)
    {
        Assert.Equal(MetaReadStatus.Complete, ReadOne(text, out var kind, out _, out var consumed));
        Assert.Equal((MetaReplyKind)expected, kind);
        Assert.Equal(text.Length, consumed);
    }

    [Fact]
    public void Value_reply_with_all_return_flags()
    {
        const string text = "VA 5 f42 c9001 t-1 s5 O77 kmy:key W Z X\r\nhello\r\n";
        Assert.Equal(MetaReadStatus.Complete, ReadOne(text, out var kind, out var value, out var consumed, reply =>
        {
            Assert.True(reply.HasClientFlags);
            Assert.Equal(42u, reply.ClientFlags);
            Assert.True(reply.HasCas);
            Assert.Equal(9001ul, reply.Cas);
            Assert.True(reply.HasTtl);
            Assert.Equal(-1, reply.Ttl);
            Assert.Equal(5, reply.Size);
            Assert.Equal("77", Encoding.ASCII.GetString(reply.Opaque));
            Assert.Equal("my:key", Encoding.ASCII.GetString(reply.Key));
            Assert.True(reply.Won);
            Assert.True(reply.AlreadyWon);
            Assert.True(reply.Stale);
        }));
        Assert.Equal(MetaReplyKind.Value, kind);
        Assert.Equal("hello", value);
        Assert.Equal(text.Length, consumed);
    }

    [Fact]
    public void Value_may_contain_crlf_and_be_empty()
    {
        Assert.Equal(MetaReadStatus.Complete, ReadOne("VA 4\r\n\r\n\r\n\r\n", out _, out var value, out _));
        Assert.Equal("\r\n\r\n", value);
        Assert.Equal(MetaReadStatus.Complete, ReadOne("VA 0 O1\r\n\r\n", out _, out var empty, out _));
        Assert.Equal("", empty);
    }

    [Fact]
    public void Error_message_is_exposed()
    {
        ReadOne("SERVER_ERROR object too large for cache\r\n", out _, out _, out _, r =>
            Assert.Equal("object too large for cache", Encoding.ASCII.GetString(r.ErrorMessage)));
    }

    [Fact]
    public void Several_replies_in_one_buffer_are_read_in_order()
    {
        var bytes = Encoding.ASCII.GetBytes("HD O1\r\nVA 2 O2\r\nhi\r\nEN O3\r\nMN\r\nHD");
        var reader = new MetaReplyReader(bytes);
        var kinds = new List<MetaReplyKind>();
        while (reader.TryRead(out var reply) == MetaReadStatus.Complete)
        {
            kinds.Add(reply.Kind);
        }

        Assert.Equal([MetaReplyKind.Success, MetaReplyKind.Value, MetaReplyKind.Miss, MetaReplyKind.NoOp], kinds);
        Assert.Equal(bytes.Length - 2, reader.Consumed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("H")]
    [InlineData("HD O1")]
    [InlineData("HD O1\r")]
    [InlineData("VA 5 O1\r\n")]
    [InlineData("VA 5 O1\r\nhel")]
    [InlineData("VA 5 O1\r\nhello")]
    [InlineData("VA 5 O1\r\nhello\r")]
    public void Partial_frames_need_more_data_and_consume_nothing(string text)
    {
        Assert.Equal(MetaReadStatus.NeedMoreData, ReadOne(text, out _, out _, out var consumed));
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("HELLO\r\n")]
    [InlineData("hd\r\n")]
    [InlineData("HD\n")]
    [InlineData("\r\n")]
    [InlineData("VA x\r\nhello\r\n")]
    [InlineData("VA -1\r\n\r\n")]
    [InlineData("VA 5\r\nhelloXX")]
    [InlineData("HD cabc\r\n")]
    [InlineData("HD f99999999999\r\n")]
    [InlineData("MN O1\r\n")]
    [InlineData("VALUE foo 0 3\r\nbar\r\nEND\r\n")]
    public void Garbage_is_invalid(string text)
    {
        Assert.Equal(MetaReadStatus.Invalid, ReadOne(text, out _, out _, out var consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void A_line_longer_than_the_limit_without_newline_is_invalid()
    {
        var bytes = Encoding.ASCII.GetBytes("HD " + new string('x', MetaReplyReader.MaxLineLength + 10));
        var reader = new MetaReplyReader(bytes);
        Assert.Equal(MetaReadStatus.Invalid, reader.TryRead(out _));
    }

    [Fact]
    public void A_value_longer_than_the_limit_is_invalid()
    {
        var bytes = Encoding.ASCII.GetBytes("VA 2000000 O1\r\n");
        var reader = new MetaReplyReader(bytes, maxValueLength: 1_000_000);
        Assert.Equal(MetaReadStatus.Invalid, reader.TryRead(out _));
    }

    [Property(MaxTest = 200)]
    public bool Any_prefix_of_a_frame_needs_more_data_and_the_whole_frame_completes(byte[] payload, ushort cut)
    {
        payload ??= [];
        byte[] frame = [.. Encoding.ASCII.GetBytes($"VA {payload.Length} c5 O9\r\n"), .. payload, .. "\r\n"u8];
        var prefix = cut % frame.Length;
        var partial = new MetaReplyReader(frame.AsSpan(0, prefix));
        var needsMore = partial.TryRead(out _) == MetaReadStatus.NeedMoreData && partial.Consumed == 0;
        var whole = new MetaReplyReader(frame);
        var complete = whole.TryRead(out var reply) == MetaReadStatus.Complete && reply.Value.SequenceEqual(payload) && whole.Consumed == frame.Length;
        return needsMore && complete;
    }
}
