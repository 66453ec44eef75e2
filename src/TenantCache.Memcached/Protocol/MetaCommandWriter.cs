using System.Buffers;
using System.Globalization;

namespace TenantCache.Memcached.Protocol;

/// <summary>
/// Writes meta-protocol commands into a buffer. Every argument is validated before the first byte
/// is written, so a rejected command leaves the buffer untouched and never reaches a socket.
/// </summary>
internal static partial class MetaCommandWriter
{
    /// <summary>The longest opaque memcached echoes.</summary>
    public const int MaxOpaqueLength = 31;

    /// <summary>Writes <c>mg &lt;key&gt; &lt;flags&gt; [T&lt;ttl&gt;] [O&lt;opaque&gt;]</c>.</summary>
    public static void WriteGet(IBufferWriter<byte> writer, string key, MetaGetFlags flags, long? touchTtl, ReadOnlySpan<byte> opaque)
    {
        MetaKey.Validate(key);
        ValidateOpaque(opaque);
        var line = new LineWriter(writer, 3 + key.Length + 16 + 24 + 2 + opaque.Length + 2);
        line.Raw("mg "u8);
        line.Key(key);
        if ((flags & MetaGetFlags.Value) != 0)
        {
            line.Raw(" v"u8);
        }

        if ((flags & MetaGetFlags.ClientFlags) != 0)
        {
            line.Raw(" f"u8);
        }

        if ((flags & MetaGetFlags.Cas) != 0)
        {
            line.Raw(" c"u8);
        }

        if ((flags & MetaGetFlags.Ttl) != 0)
        {
            line.Raw(" t"u8);
        }

        if ((flags & MetaGetFlags.Size) != 0)
        {
            line.Raw(" s"u8);
        }

        if ((flags & MetaGetFlags.Key) != 0)
        {
            line.Raw(" k"u8);
        }

        if ((flags & MetaGetFlags.Quiet) != 0)
        {
            line.Raw(" q"u8);
        }

        if (touchTtl is { } ttl)
        {
            line.Number((byte)'T', ttl);
        }

        line.Opaque(opaque);
        line.End();
    }

    /// <summary>Writes <c>md &lt;key&gt; [O&lt;opaque&gt;]</c>.</summary>
    public static void WriteDelete(IBufferWriter<byte> writer, string key, ReadOnlySpan<byte> opaque)
    {
        MetaKey.Validate(key);
        ValidateOpaque(opaque);
        var line = new LineWriter(writer, 3 + key.Length + 2 + opaque.Length + 2);
        line.Raw("md "u8);
        line.Key(key);
        line.Opaque(opaque);
        line.End();
    }

    /// <summary>Writes <c>mn</c>.</summary>
    public static void WriteNoOp(IBufferWriter<byte> writer)
    {
        var line = new LineWriter(writer, 4);
        line.Raw("mn"u8);
        line.End();
    }

    /// <summary>Throws unless <paramref name="opaque"/> is empty or 1..31 printable bytes.</summary>
    public static void ValidateOpaque(ReadOnlySpan<byte> opaque)
    {
        if (opaque.Length > MaxOpaqueLength)
        {
            throw new ArgumentException($"An opaque is at most {MaxOpaqueLength} characters.", nameof(opaque));
        }

        foreach (var b in opaque)
        {
            if (b is < 0x21 or > 0x7E)
            {
                throw new ArgumentException("An opaque holds printable ASCII without spaces.", nameof(opaque));
            }
        }
    }

    /// <summary>Appends one command line to a buffer writer, sized up front.</summary>
    private ref struct LineWriter
    {
        private readonly IBufferWriter<byte> _writer;
        private Span<byte> _span;
        private int _written;

        public LineWriter(IBufferWriter<byte> writer, int sizeHint)
        {
            _writer = writer;
            _span = writer.GetSpan(sizeHint);
            _written = 0;
        }

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_span[_written..]);
            _written += bytes.Length;
        }

        public void Key(string key)
        {
            MetaKey.Write(key, _span[_written..]);
            _written += key.Length;
        }

        public void Number(byte flag, long value)
        {
            _span[_written++] = (byte)' ';
            if (flag != 0)
            {
                _span[_written++] = flag;
            }

            value.TryFormat(_span[_written..], out var n, default, CultureInfo.InvariantCulture);
            _written += n;
        }

        public void Unsigned(byte flag, ulong value)
        {
            _span[_written++] = (byte)' ';
            _span[_written++] = flag;
            value.TryFormat(_span[_written..], out var n, default, CultureInfo.InvariantCulture);
            _written += n;
        }

        public void Opaque(ReadOnlySpan<byte> opaque)
        {
            if (!opaque.IsEmpty)
            {
                _span[_written++] = (byte)' ';
                _span[_written++] = (byte)'O';
                Raw(opaque);
            }
        }

        public void End()
        {
            Raw("\r\n"u8);
            _writer.Advance(_written);
        }
    }
}
