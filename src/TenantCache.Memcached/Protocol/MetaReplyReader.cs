using System.Buffers.Text;

namespace TenantCache.Memcached.Protocol;

/// <summary>
/// Parses meta-protocol replies from a span without copying. A partial frame yields
/// <see cref="MetaReadStatus.NeedMoreData"/> and consumes nothing; bytes that are not a reply yield
/// <see cref="MetaReadStatus.Invalid"/>.
/// </summary>
internal ref partial struct MetaReplyReader
{
    /// <summary>The longest reply line accepted; a longer one means the stream is garbage.</summary>
    public const int MaxLineLength = 4096;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _maxValueLength;
    private int _consumed;

    /// <summary>Creates a reader over <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Received bytes.</param>
    /// <param name="maxValueLength">Largest <c>VA</c> data block accepted.</param>
    public MetaReplyReader(ReadOnlySpan<byte> buffer, int maxValueLength = int.MaxValue)
    {
        _buffer = buffer;
        _maxValueLength = maxValueLength;
        _consumed = 0;
    }

    /// <summary>Bytes consumed by the complete replies read so far.</summary>
    public readonly int Consumed => _consumed;

    /// <summary>Reads the next reply.</summary>
    public MetaReadStatus TryRead(out MetaReply reply)
    {
        reply = default;
        var rest = _buffer[_consumed..];
        var lf = rest.IndexOf((byte)'\n');
        if (lf < 0)
        {
            return rest.Length > MaxLineLength ? MetaReadStatus.Invalid : MetaReadStatus.NeedMoreData;
        }

        if (lf == 0 || rest[lf - 1] != (byte)'\r' || lf > MaxLineLength)
        {
            return MetaReadStatus.Invalid;
        }

        var line = rest[..(lf - 1)];
        var frameLength = lf + 1;
        if (!ParseLine(line, ref reply, out var valueLength))
        {
            return MetaReadStatus.Invalid;
        }

        if (reply.Kind == MetaReplyKind.Value)
        {
            if (valueLength > _maxValueLength)
            {
                return MetaReadStatus.Invalid;
            }

            var total = (long)frameLength + valueLength + 2;
            if (rest.Length < total)
            {
                reply = default;
                return MetaReadStatus.NeedMoreData;
            }

            if (rest[frameLength + valueLength] != (byte)'\r' || rest[frameLength + valueLength + 1] != (byte)'\n')
            {
                reply = default;
                return MetaReadStatus.Invalid;
            }

            reply.Value = rest.Slice(frameLength, valueLength);
            frameLength = (int)total;
        }

        _consumed += frameLength;
        return MetaReadStatus.Complete;
    }

    private static bool ParseLine(ReadOnlySpan<byte> line, ref MetaReply reply, out int valueLength)
    {
        valueLength = 0;
        var space = line.IndexOf((byte)' ');
        var code = space < 0 ? line : line[..space];
        var rest = space < 0 ? default : line[(space + 1)..];

        if (code.SequenceEqual("CLIENT_ERROR"u8) || code.SequenceEqual("SERVER_ERROR"u8))
        {
            reply.Kind = code[0] == (byte)'C' ? MetaReplyKind.ClientError : MetaReplyKind.ServerError;
            reply.ErrorMessage = rest;
            return true;
        }

        if (code.SequenceEqual("ERROR"u8))
        {
            reply.Kind = MetaReplyKind.Error;
            reply.ErrorMessage = rest;
            return true;
        }

        reply.Kind = KindOf(code);
        switch (reply.Kind)
        {
            case MetaReplyKind.None:
                return false;
            case MetaReplyKind.NoOp:
                return rest.IsEmpty && space < 0;
            case MetaReplyKind.Value:
                var next = rest.IndexOf((byte)' ');
                var length = next < 0 ? rest : rest[..next];
                if (length.IsEmpty || !IsDigits(length) || !Utf8Parser.TryParse(length, out valueLength, out var used) || used != length.Length)
                {
                    return false;
                }

                rest = next < 0 ? default : rest[(next + 1)..];
                break;
        }

        return ParseFlags(rest, ref reply);
    }

    private static MetaReplyKind KindOf(ReadOnlySpan<byte> code)
    {
        if (code.Length != 2)
        {
            return MetaReplyKind.None;
        }

        return (code[0], code[1]) switch
        {
            ((byte)'V', (byte)'A') => MetaReplyKind.Value,
            ((byte)'H', (byte)'D') => MetaReplyKind.Success,
            ((byte)'E', (byte)'N') => MetaReplyKind.Miss,
            ((byte)'N', (byte)'S') => MetaReplyKind.NotStored,
            ((byte)'E', (byte)'X') => MetaReplyKind.Exists,
            ((byte)'N', (byte)'F') => MetaReplyKind.NotFound,
            ((byte)'M', (byte)'N') => MetaReplyKind.NoOp,
            _ => MetaReplyKind.None,
        };
    }

    private static bool IsDigits(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }
}
