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
    public static void WriteGet(IBufferWriter<byte> writer, string key, MetaGetFlags flags, long? touchTtl, ReadOnlySpan<byte> opaque) =>
        WriteGet(writer, key, flags, touchTtl, default, opaque);

    /// <summary>
    /// Writes <c>mg &lt;key&gt; [v] [f] [c] [N&lt;ttl&gt;] [R&lt;secs&gt;] [t] [s] [k] [q] [T&lt;ttl&gt;] [O&lt;opaque&gt;]</c>:
    /// the lease flags come before <c>t</c>, because memcached applies flags in order and a <c>t</c> before
    /// <c>N</c> reports a vivified placeholder's TTL as -1.
    /// </summary>
    public static void WriteGet(IBufferWriter<byte> writer, string key, MetaGetFlags flags, long? touchTtl, MetaLease lease, ReadOnlySpan<byte> opaque)
    {
        MetaKey.Validate(key);
        ValidateOpaque(opaque);
        var line = new LineWriter(writer, 3 + key.Length + 16 + 24 + 48 + 2 + opaque.Length + 2);
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

        if (lease.VivifyTtl != 0)
        {
            line.Number((byte)'N', lease.VivifyTtl);
        }

        if (lease.RecacheBelow != 0)
        {
            line.Number((byte)'R', lease.RecacheBelow);
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
    public static void WriteDelete(IBufferWriter<byte> writer, string key, ReadOnlySpan<byte> opaque) =>
        WriteDelete(writer, key, cas: 0, markStaleTtl: null, quiet: false, opaque);

    /// <summary>
    /// Writes <c>md &lt;key&gt; [C&lt;cas&gt;] [I T&lt;ttl&gt;] [q] [O&lt;opaque&gt;]</c>: with <paramref name="markStaleTtl"/>
    /// the item is not deleted but marked stale (<c>I</c>) and lives at most that wire TTL more.
    /// </summary>
    /// <param name="writer">Destination.</param>
    /// <param name="key">A valid key.</param>
    /// <param name="cas">0, or the CAS the item must still have (<c>EX</c> otherwise).</param>
    /// <param name="markStaleTtl">Null to delete; otherwise mark stale with this wire TTL (see <see cref="MetaTtl"/>).</param>
    /// <param name="quiet">Hide the nominal reply (<c>HD</c>); <c>EX</c> and <c>NF</c> still come.</param>
    /// <param name="opaque">Echoed in the reply; empty for none.</param>
    public static void WriteDelete(IBufferWriter<byte> writer, string key, ulong cas, long? markStaleTtl, bool quiet, ReadOnlySpan<byte> opaque)
    {
        MetaKey.Validate(key);
        ValidateOpaque(opaque);
        var line = new LineWriter(writer, 3 + key.Length + 24 + 26 + 2 + 2 + opaque.Length + 2);
        line.Raw("md "u8);
        line.Key(key);
        if (cas != 0)
        {
            line.Unsigned((byte)'C', cas);
        }

        if (markStaleTtl is { } ttl)
        {
            line.Raw(" I"u8);
            line.Number((byte)'T', ttl);
        }

        if (quiet)
        {
            line.Raw(" q"u8);
        }

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
