using System.Text.Json;
using RestEase;

namespace IoVisor.Hover.Client;

/// <summary>Replaces RestEase's Json.NET response deserializer so that responses follow <see cref="HoverJson.Options"/>.</summary>
internal sealed class SystemTextJsonResponseDeserializer : ResponseDeserializer
{
    public override T Deserialize<T>(string content, HttpResponseMessage response, ResponseDeserializerInfo info) =>
        JsonSerializer.Deserialize<T>(content, HoverJson.Options)
        ?? throw new InvalidDataException($"{info.RequestInfo.Method} {info.RequestInfo.Path} answered null");
}
