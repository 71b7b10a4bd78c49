using System.Buffers.Binary;

namespace IoVisor.IoModules;

/// <summary>The one's complement sum of RFC 1071 (IPv4 header, ICMP).</summary>
public static class InternetChecksum
{
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}
