using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IoVisor.Hover.Metrics;

/// <summary>
/// Writes metrics in the Prometheus text exposition format 0.0.4: a family's HELP and TYPE lines,
/// then its samples. Names are the code's own; label values and help text are escaped, so a
/// module or route name cannot break the format.
/// </summary>
public sealed partial class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    public void Family(string name, MetricType type, string help)
    {
        CheckName(name);
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type.ToString().ToLowerInvariant()).Append('\n');
    }

    public void Sample(string name, double value, params (string Name, string Value)[] labels)
    {
        CheckName(name);
        _text.Append(name);
        AppendLabels(labels);
        _text.Append(' ').Append(Format(value)).Append('\n');
    }

    /// <summary>The samples of one histogram series: cumulative buckets ending with le="+Inf", then
    /// _sum and _count.</summary>
    public void Histogram(string name, HistogramSnapshot histogram, params (string Name, string Value)[] labels)
    {
        long cumulative = 0;
        for (var i = 0; i < histogram.BucketCounts.Count; i++)
        {
            cumulative += histogram.BucketCounts[i];
            var le = i < histogram.UpperBounds.Count ? Format(histogram.UpperBounds[i]) : "+Inf";
            Sample(name + "_bucket", cumulative, [.. labels, ("le", le)]);
        }
        Sample(name + "_sum", histogram.Sum, labels);
        Sample(name + "_count", histogram.Count, labels);
    }

    public override string ToString() => _text.ToString();

    private void AppendLabels((string Name, string Value)[] labels)
    {
        if (labels.Length == 0)
        {
            return;
        }
        _text.Append('{');
        for (var i = 0; i < labels.Length; i++)
        {
            CheckName(labels[i].Name);
            _text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
        }
        _text.Append('}');
    }

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static void CheckName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus metric or label name", nameof(name));
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex NamePattern();
}
