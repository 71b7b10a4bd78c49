using System.Buffers;
using System.Text.Json;

namespace IoVisor.Ovsdb.Rpc;

/// <summary>Cuts a byte stream into JSON values. OVSDB's JSON-RPC sends values back to back with
/// no delimiter, so a value ends where its top-level object or array closes. The reader state is
/// kept across calls, so a large value arriving in many reads is scanned once, not once per read.
/// One framer per stream; not thread-safe.</summary>
internal sealed class JsonValueFramer
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    private JsonReaderState state = new(Options);

    // Bytes at the start of the caller's buffer already scanned as part of the current value.
    private long scanned;

    /// <summary>Takes the next complete value from the start of <paramref name="buffer"/> and
    /// slices it off. Returns false when the buffer ends inside a value: the caller must keep the
    /// buffer's bytes (consume nothing) and call again with them plus more data.</summary>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out JsonElement value)
    {
        var reader = new Utf8JsonReader(buffer.Slice(scanned), isFinalBlock: false, state);
        while (reader.Read())
        {
            var closesTopLevel = reader.CurrentDepth == 0 &&
                reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray);
            if (!closesTopLevel)
            {
                continue;
            }
            var end = scanned + reader.BytesConsumed;
            var valueReader = new Utf8JsonReader(buffer.Slice(0, end), new JsonReaderOptions { MaxDepth = Options.MaxDepth });
            value = JsonElement.ParseValue(ref valueReader);
            buffer = buffer.Slice(end);
            scanned = 0;
            state = new JsonReaderState(Options);
            return true;
        }
        scanned += reader.BytesConsumed;
        state = reader.CurrentState;
        value = default;
        return false;
    }

    /// <summary>True when the stream may end here: no value has been started.</summary>
    public static bool IsBlank(ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return false;
            }
        }
        return true;
    }
}
