using System.Buffers.Text;

namespace TenantCache.Memcached.Protocol;

internal ref partial struct MetaReplyReader
{
    private static bool ParseFlags(ReadOnlySpan<byte> flags, ref MetaReply reply)
    {
        while (!flags.IsEmpty)
        {
            var space = flags.IndexOf((byte)' ');
            var token = space < 0 ? flags : flags[..space];
            flags = space < 0 ? default : flags[(space + 1)..];
            if (token.IsEmpty || !ParseFlag(token[0], token[1..], ref reply))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ParseFlag(byte flag, ReadOnlySpan<byte> arg, ref MetaReply reply)
    {
        switch (flag)
        {
            case (byte)'O':
                reply.Opaque = arg;
                reply.HasOpaque = true;
                return true;
            case (byte)'k':
                reply.Key = arg;
                return true;
            case (byte)'c':
                reply.HasCas = true;
                return ParseWhole(arg, out reply.Cas);
            case (byte)'t':
                reply.HasTtl = true;
                return ParseSigned(arg, out reply.Ttl);
            case (byte)'f':
                reply.HasClientFlags = true;
                return ParseWhole(arg, out var clientFlags) && clientFlags <= uint.MaxValue && Assign(out reply.ClientFlags, (uint)clientFlags);
            case (byte)'s':
                reply.HasSize = true;
                return ParseSigned(arg, out reply.Size);
            case (byte)'W':
                reply.Won = true;
                return arg.IsEmpty;
            case (byte)'Z':
                reply.AlreadyWon = true;
                return arg.IsEmpty;
            case (byte)'X':
                reply.Stale = true;
                return arg.IsEmpty;
            default:
                // Flags we never ask for (h, l, b, ...) are tolerated but must be printable tokens.
                return flag is >= 0x21 and <= 0x7E;
        }
    }

    private static bool Assign(out uint target, uint value)
    {
        target = value;
        return true;
    }

    private static bool ParseWhole(ReadOnlySpan<byte> arg, out ulong value)
    {
        value = 0;
        if (arg.IsEmpty || arg[0] is < (byte)'0' or > (byte)'9')
        {
            return false;
        }

        return Utf8Parser.TryParse(arg, out value, out var used) && used == arg.Length;
    }

    private static bool ParseSigned(ReadOnlySpan<byte> arg, out long value)
    {
        value = 0;
        if (arg.IsEmpty)
        {
            return false;
        }

        return Utf8Parser.TryParse(arg, out value, out var used) && used == arg.Length;
    }
}
