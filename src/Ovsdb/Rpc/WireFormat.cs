using System.Text.Encodings.Web;
using System.Text.Json;

namespace IoVisor.Ovsdb.Rpc;

/// <summary>How JSON is written for OVSDB: escaping only what JSON requires. The default encoder
/// also escapes quotes and non-ASCII text for safe embedding in HTML, which a socket protocol
/// does not need and which makes logs and dumps unreadable.</summary>
internal static class WireFormat
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
