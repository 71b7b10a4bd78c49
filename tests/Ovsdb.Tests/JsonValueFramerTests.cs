using System.Buffers;
using System.Text;
using System.Text.Json;
using IoVisor.Ovsdb.Rpc;
using IoVisor.Ovsdb.Tests.Harness;

namespace IoVisor.Ovsdb.Tests;

public sealed class JsonValueFramerTests
{
    // Braces, brackets and quotes inside strings, escapes, and multi-byte UTF-8 (2, 3 and 4 bytes).
    private static readonly string[] Messages =
    [
        """{"method":"echo","params":[],"id":"echo"}""",
        """{"id":1,"result":{"name":"sw{0}]","note":"a \"quoted\" \\ back\\slash \u007b"},"error":null}""",
        """{"method":"update2","params":["m",{"T":{"x":{"modify":{"s":["set",["é","日本","🙂"]]}}}}],"id":null}""",
        """[1,[2,[3,{}]],"]"]""",
    ];

    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(string.Join("\n", Messages) + " ");

    [Fact]
    public void Several_values_in_one_read_come_out_one_by_one()
    {
        Assert.Equal(Canonical(Messages), Feed([Stream]));
    }

    [Fact]
    public void A_stream_split_at_every_byte_boundary_yields_the_same_values()
    {
        for (var cut = 1; cut < Stream.Length; cut++)
        {
            Assert.Equal(Canonical(Messages), Feed([Stream[..cut], Stream[cut..]]));
        }
    }

    [Fact]
    public void A_stream_arriving_one_byte_per_read_yields_the_same_values()
    {
        Assert.Equal(Canonical(Messages), Feed([.. Stream.Select(b => new[] { b })]));
    }

    [Fact]
    public void A_value_spread_over_many_buffer_segments_is_read_whole()
    {
        var framer = new JsonValueFramer();
        var buffer = Segments.Of([.. Stream.Select(b => new[] { b })]);
        var values = new List<string>();
        while (framer.TryRead(ref buffer, out var value))
        {
            values.Add(value.GetRawText());
        }
        Assert.Equal(Canonical(Messages), values);
        Assert.True(JsonValueFramer.IsBlank(buffer));
    }

    [Fact]
    public void A_multi_byte_character_split_across_reads_survives()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"s":"🙂"}""");
        var emoji = Array.IndexOf(bytes, (byte)0xF0);
        for (var cut = emoji + 1; cut < emoji + 4; cut++)
        {
            var values = Feed([bytes[..cut], bytes[cut..]]);
            Assert.Equal("🙂", JsonDocument.Parse(Assert.Single(values)).RootElement.GetProperty("s").GetString());
        }
    }

    [Fact]
    public void An_incomplete_value_is_kept_until_the_rest_arrives()
    {
        var framer = new JsonValueFramer();
        var first = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("""{"a":[1,2"""));
        Assert.False(framer.TryRead(ref first, out _));
        Assert.Equal(9, first.Length);
        Assert.False(JsonValueFramer.IsBlank(first));
    }

    [Fact]
    public void Invalid_json_is_an_error()
    {
        var framer = new JsonValueFramer();
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("""{"a":}"""));
        Assert.ThrowsAny<JsonException>(() => framer.TryRead(ref buffer, out _));
    }

    // Feeds the reads the way the connection does: bytes not consumed stay at the buffer's start.
    private static List<string> Feed(IEnumerable<byte[]> reads)
    {
        var framer = new JsonValueFramer();
        var pending = Array.Empty<byte>();
        var values = new List<string>();
        foreach (var read in reads)
        {
            var buffer = new ReadOnlySequence<byte>([.. pending, .. read]);
            while (framer.TryRead(ref buffer, out var value))
            {
                values.Add(value.GetRawText());
            }
            pending = buffer.ToArray();
        }
        Assert.True(JsonValueFramer.IsBlank(new ReadOnlySequence<byte>(pending)));
        return values;
    }

    private static List<string> Canonical(IEnumerable<string> messages) =>
        [.. messages.Select(m => JsonDocument.Parse(m).RootElement.GetRawText())];
}
