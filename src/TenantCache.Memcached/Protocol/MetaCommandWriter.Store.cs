using System.Buffers;

namespace TenantCache.Memcached.Protocol;

internal static partial class MetaCommandWriter
{
    /// <summary>
    /// Writes <c>ms &lt;key&gt; &lt;len&gt; [T] [F] [C] [M] [I] [O]</c> followed by the data block.
    /// </summary>
    /// <param name="writer">Destination.</param>
    /// <param name="key">A valid key.</param>
    /// <param name="value">The data block.</param>
    /// <param name="maxValueLength">The largest data block the server will accept for this key.</param>
    /// <param name="mode">Set, add, replace, append or prepend.</param>
    /// <param name="ttl">Wire TTL (see <see cref="MetaTtl"/>); 0 = none.</param>
    /// <param name="clientFlags">Opaque 32-bit flags stored with the item.</param>
    /// <param name="cas">Compare-and-swap token; 0 = unconditional.</param>
    /// <param name="opaque">Echoed in the reply; empty for none.</param>
    public static void WriteStore(
        IBufferWriter<byte> writer,
        string key,
        ReadOnlySpan<byte> value,
        int maxValueLength,
        MetaStoreMode mode,
        long ttl,
        uint clientFlags,
        ulong cas,
        ReadOnlySpan<byte> opaque)
    {
        MetaKey.Validate(key);
        ValidateOpaque(opaque);
        if (value.Length > maxValueLength)
        {
            throw new ArgumentException(
                $"The value is {value.Length} bytes; the server accepts at most {maxValueLength} bytes for this key (item_size_max less the item header).",
                nameof(value));
        }

        var line = new LineWriter(writer, 3 + key.Length + 128 + opaque.Length);
        line.Raw("ms "u8);
        line.Key(key);
        line.Number(0, value.Length);
        if (ttl != 0)
        {
            line.Number((byte)'T', ttl);
        }

        if (clientFlags != 0)
        {
            line.Unsigned((byte)'F', clientFlags);
        }

        if (cas != 0)
        {
            line.Unsigned((byte)'C', cas);
        }

        switch (mode)
        {
            case MetaStoreMode.Set:
                break;
            case MetaStoreMode.Add:
                line.Raw(" ME"u8);
                break;
            case MetaStoreMode.Replace:
                line.Raw(" MR"u8);
                break;
            case MetaStoreMode.Append:
                line.Raw(" MA"u8);
                break;
            case MetaStoreMode.Prepend:
                line.Raw(" MP"u8);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown store mode.");
        }

        line.Opaque(opaque);
        line.End();
        writer.Write(value);
        writer.Write("\r\n"u8);
    }

    /// <summary>
    /// Writes <c>ma &lt;key&gt; [N&lt;ttl&gt; J&lt;initial&gt;] D&lt;delta&gt; M&lt;I|D&gt; v [O]</c>.
    /// </summary>
    /// <param name="writer">Destination.</param>
    /// <param name="key">A valid key.</param>
    /// <param name="increment"><see langword="true"/> to add, <see langword="false"/> to subtract (floored at 0).</param>
    /// <param name="delta">Amount.</param>
    /// <param name="initial">When not null, create the counter with this value on a miss.</param>
    /// <param name="createTtl">Wire TTL of a created counter.</param>
    /// <param name="opaque">Echoed in the reply; empty for none.</param>
    public static void WriteArithmetic(
        IBufferWriter<byte> writer,
        string key,
        bool increment,
        ulong delta,
        ulong? initial,
        long createTtl,
        ReadOnlySpan<byte> opaque)
    {
        MetaKey.Validate(key);
        ValidateOpaque(opaque);
        var line = new LineWriter(writer, 3 + key.Length + 96 + opaque.Length);
        line.Raw("ma "u8);
        line.Key(key);
        if (initial is { } start)
        {
            line.Number((byte)'N', createTtl);
            line.Unsigned((byte)'J', start);
        }

        line.Unsigned((byte)'D', delta);
        line.Raw(increment ? " MI v"u8 : " MD v"u8);
        line.Opaque(opaque);
        line.End();
    }
}
