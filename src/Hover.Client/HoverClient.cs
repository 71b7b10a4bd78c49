using System.Globalization;
using RestEase;

namespace IoVisor.Hover.Client;

/// <summary>Creates <see cref="IHoverApi"/> clients.</summary>
public static class HoverClient
{
    /// <summary>A client for the daemon at <paramref name="baseAddress"/> (e.g. http://127.0.0.1:5000).</summary>
    public static IHoverApi Create(Uri baseAddress) => Create(new HttpClient(), baseAddress);

    /// <summary>A client that sends through <paramref name="handler"/> (a proxy, a test stub).</summary>
    public static IHoverApi Create(Uri baseAddress, HttpMessageHandler handler) => Create(new HttpClient(handler), baseAddress);

    private static IHoverApi Create(HttpClient http, Uri baseAddress)
    {
        // Relative request paths resolve below the base only when it ends with a slash: http://host/hover → http://host/hover/modules.
        http.BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        var requester = new ProblemTranslatingRequester(http)
        {
            RequestBodySerializer = new SystemTextJsonBodySerializer(),
            ResponseDeserializer = new SystemTextJsonResponseDeserializer(),
            FormatProvider = CultureInfo.InvariantCulture,
        };
        return RestClient.For<IHoverApi>(requester);
    }
}
