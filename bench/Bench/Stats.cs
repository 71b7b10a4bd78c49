namespace IoVisor.Bench;

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToList();
        if (s.Count == 0)
        {
            throw new InvalidOperationException("median of no values");
        }
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }
}
