using RestEase;
using RestEase.Implementation;

namespace IoVisor.Hover.Client;

/// <summary>
/// RestEase's requester with its <see cref="ApiException"/> turned into a <see cref="HoverApiException"/>, so that
/// callers see the daemon's problem details rather than a status code and a string.
/// </summary>
internal sealed class ProblemTranslatingRequester(HttpClient http) : Requester(http)
{
    protected override async Task<HttpResponseMessage> SendRequestAsync(IRequestInfo requestInfo, bool readBody)
    {
        try
        {
            return await base.SendRequestAsync(requestInfo, readBody).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw HoverApiException.From(e);
        }
    }
}
