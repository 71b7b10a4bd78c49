namespace IoVisor.Hover.Api;

internal static class ProblemResponses
{
    /// <summary>Declares the problem-details responses of an endpoint for the OpenAPI document.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }
        return builder;
    }
}
