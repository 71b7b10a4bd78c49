using System.Buffers.Binary;

namespace IoVisor.Integration.Tests.Harness;

/// <summary>GTP messages as UDP payloads: GTPv1-U G-PDUs (TS 29.281) and GTPv2-C messages with a
/// TEID (TS 29.274), and how to read the TEID back from one.</summary>
public static class GtpMessages
{
    public const int PortC = 2123;
    public const int PortU = 2152;
    public const byte GPdu = 255;
    public const byte CreateSessionRequest = 32;

    /// <summary>A G-PDU for <paramref name="teid"/> with a sequence number and
    /// <paramref name="payloadLength"/> octets of user data. <paramref name="lengthDelta"/> makes its
    /// length field lie.</summary>
    public static byte[] V1(uint teid, ushort seq, int payloadLength = 64, int lengthDelta = 0)
    {
        var m = new byte[12 + payloadLength];
        m[0] = 0x32; // version 1, PT 1, S
        m[1] = GPdu;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)(m.Length - 8 + lengthDelta));
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), teid);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(8), seq);
        for (var i = 12; i < m.Length; i++)
        {
            m[i] = (byte)i;
        }
        return m;
    }

    /// <summary>A GTPv2-C message of <paramref name="type"/> with T = 1 and 16 octets of information elements.</summary>
    public static byte[] V2(byte type, uint teid, uint seq)
    {
        var m = new byte[12 + 16];
        m[0] = 0x48; // version 2, T
        m[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)(m.Length - 4));
        BinaryPrimitives.WriteUInt32BigEndian(m.AsSpan(4), teid);
        m[8] = (byte)(seq >> 16);
        m[9] = (byte)(seq >> 8);
        m[10] = (byte)seq;
        return m;
    }

    /// <summary>The TEID of a GTPv1 or a GTPv2-C (T = 1) message.</summary>
    public static uint TeidOf(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
}
