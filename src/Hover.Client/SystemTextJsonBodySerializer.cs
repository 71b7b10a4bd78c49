using System.Text;
using System.Text.Json;
using RestEase;

namespace IoVisor.Hover.Client;

/// <summary>Replaces RestEase's Json.NET body serializer so that requests follow <see cref="HoverJson.Options"/>.</summary>
internal sealed class SystemTextJsonBodySerializer : RequestBodySerializer
{
    public override HttpContent SerializeBody<T>(T body, RequestBodySerializerInfo info) =>
        new StringContent(JsonSerializer.Serialize(body, HoverJson.Options), Encoding.UTF8, "application/json");
}
