using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using OpenData.Platform.Datasets;
using OpenData.Platform.Storage;

namespace OpenData.Platform.Records;

/// <summary>
/// A keyset cursor: the version it walks, the hash of the filter and order it belongs to, and the last row's sort keys.
/// Resuming binds these as parameters, so a page at any depth costs what the first page costs. The bytes written here are
/// never handed out as they are: <see cref="Identity.CursorSeal"/> encrypts and authenticates them (RecordReader).
/// </summary>
internal sealed record RecordCursor(int Version, byte[] Hash, object?[] Keys, long Row)
{
    /// <summary>Bytes of the query hash a cursor carries.</summary>
    public const int HashLength = 8;

    private const byte Null = 0, Text = 1, Integer = 2, DecimalText = 3, Real = 4, False = 5, True = 6, Day = 7, Ticks = 8;

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream(32);
        WriteVarint(buffer, (ulong)Version);
        buffer.Write(Hash);
        WriteVarint(buffer, (ulong)Row);
        Span<byte> eight = stackalloc byte[8];
        foreach (var key in Keys)
        {
            switch (key)
            {
                case null: buffer.WriteByte(Null); break;
                case string s:
                    buffer.WriteByte(Text);
                    var bytes = Encoding.UTF8.GetBytes(s);
                    WriteVarint(buffer, (ulong)bytes.Length);
                    buffer.Write(bytes);
                    break;
                case long l:
                    buffer.WriteByte(Integer);
                    WriteVarint(buffer, (ulong)((l << 1) ^ (l >> 63)));
                    break;
                case decimal m:
                    buffer.WriteByte(DecimalText);
                    var text = Encoding.ASCII.GetBytes(m.ToString(CultureInfo.InvariantCulture));
                    WriteVarint(buffer, (ulong)text.Length);
                    buffer.Write(text);
                    break;
                case double d:
                    buffer.WriteByte(Real);
                    BinaryPrimitives.WriteDoubleLittleEndian(eight, d);
                    buffer.Write(eight);
                    break;
                case bool b: buffer.WriteByte(b ? True : False); break;
                case DateOnly d:
                    buffer.WriteByte(Day);
                    WriteVarint(buffer, (ulong)d.DayNumber);
                    break;
                case DateTime t:
                    buffer.WriteByte(Ticks);
                    BinaryPrimitives.WriteInt64LittleEndian(eight, t.ToUniversalTime().Ticks);
                    buffer.Write(eight);
                    break;
                default: throw new ArgumentException($"cannot put a {key.GetType().Name} in a cursor", nameof(key));
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads the bytes of a cursor for these sort keys; false for bytes of another shape.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, IReadOnlyList<OrderKey> order, SqlDialect dialect, out RecordCursor? cursor)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(dialect);
        cursor = null;
        var at = 0;
        if (!TryVarint(bytes, ref at, out var version) || version > int.MaxValue || bytes.Length - at < HashLength)
        {
            return false;
        }
        var hash = bytes.Slice(at, HashLength).ToArray();
        at += HashLength;
        if (!TryVarint(bytes, ref at, out var row) || row > long.MaxValue)
        {
            return false;
        }
        var keys = new object?[order.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            if (at >= bytes.Length)
            {
                return false;
            }
            var tag = bytes[at++];
            var type = order[i].Column.Type;
            switch (tag)
            {
                case Null:
                    keys[i] = null;
                    break;
                case Text when type == ColumnType.String:
                case DecimalText when type == ColumnType.Decimal:
                    if (!TryVarint(bytes, ref at, out var length) || (ulong)(bytes.Length - at) < length)
                    {
                        return false;
                    }
                    var text = Encoding.UTF8.GetString(bytes.Slice(at, (int)length));
                    at += (int)length;
                    if (tag == Text)
                    {
                        keys[i] = text;
                    }
                    else if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var m))
                    {
                        keys[i] = dialect.Provider == DatabaseProvider.Sqlite ? (object)(double)m : m;
                    }
                    else
                    {
                        return false;
                    }
                    break;
                case Integer when type == ColumnType.Integer:
                    if (!TryVarint(bytes, ref at, out var zigzag))
                    {
                        return false;
                    }
                    keys[i] = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
                    break;
                case Real when type == ColumnType.Decimal:
                case Ticks when type == ColumnType.Datetime:
                    if (bytes.Length - at < 8)
                    {
                        return false;
                    }
                    keys[i] = tag == Real
                        ? BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(at, 8))
                        : new DateTime(BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(at, 8)), DateTimeKind.Utc);
                    at += 8;
                    break;
                case False or True when type == ColumnType.Boolean:
                    keys[i] = tag == True;
                    break;
                case Day when type == ColumnType.Date:
                    if (!TryVarint(bytes, ref at, out var day) || day > (ulong)DateOnly.MaxValue.DayNumber)
                    {
                        return false;
                    }
                    keys[i] = DateOnly.FromDayNumber((int)day);
                    break;
                default:
                    return false;
            }
        }
        if (at != bytes.Length)
        {
            return false;
        }
        cursor = new RecordCursor((int)version, hash, keys, (long)row);
        return true;
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && at < bytes.Length; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }
}
