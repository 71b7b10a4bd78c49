using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace IoVisor.Hover.State;

/// <summary>
/// The JSON of the immutable parts of the state (a module, a chain's module or entry), kept per
/// instance for as long as the state holds it. A change replaces only the parts it touches, so a
/// save serializes those and copies the bytes of every other part: the cost of persisting follows
/// the change, not the size of the graph.
/// </summary>
internal sealed class StateFragments
{
    private readonly ConditionalWeakTable<object, byte[]> _json = new();

    public ReadOnlySpan<byte> Of<T>(T part, Action<Utf8JsonWriter, T> write) where T : class =>
        _json.GetValue(part, _ =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                write(writer, part);
            }
            return buffer.WrittenSpan.ToArray();
        });
}
