namespace IoVisor.Bench;

/// <summary>How the stateful cases load their connection tables, as the report names it.</summary>
internal static class Flows
{
    public static string Label(bool newFlow) => newFlow ? "a new flow per frame" : "one established flow";
}
