using IoVisor.Hover.Metrics;

namespace IoVisor.Hover.Tests;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void A_family_has_help_and_type_lines_before_its_samples()
    {
        var w = new PrometheusTextWriter();
        w.Family("hover_modules", MetricType.Gauge, "Modules in the graph.");
        w.Sample("hover_modules", 3);

        Assert.Equal("# HELP hover_modules Modules in the graph.\n# TYPE hover_modules gauge\nhover_modules 3\n", w.ToString());
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        var w = new PrometheusTextWriter();
        w.Family("x_total", MetricType.Counter, "a \\ b\nc \"d\"");
        w.Sample("x_total", 1, ("module", "a\\b\"c\nd"), ("port", "p1"));

        Assert.Equal(
            "# HELP x_total a \\\\ b\\nc \"d\"\n# TYPE x_total counter\nx_total{module=\"a\\\\b\\\"c\\nd\",port=\"p1\"} 1\n",
            w.ToString());
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_and_end_with_inf_then_sum_and_count()
    {
        var w = new PrometheusTextWriter();
        w.Histogram("d_seconds", new HistogramSnapshot([0.1, 1], [2, 0, 3], 7.5), ("route", "/x"));

        Assert.Equal(
            """
            d_seconds_bucket{route="/x",le="0.1"} 2
            d_seconds_bucket{route="/x",le="1"} 2
            d_seconds_bucket{route="/x",le="+Inf"} 5
            d_seconds_sum{route="/x"} 7.5
            d_seconds_count{route="/x"} 5

            """.ReplaceLineEndings("\n"),
            w.ToString());
    }

    [Fact]
    public void A_name_the_format_cannot_carry_is_refused() =>
        Assert.Throws<ArgumentException>(() => new PrometheusTextWriter().Sample("bad-name", 1));

    [Fact]
    public void Request_metrics_count_each_series_and_put_each_duration_in_its_bucket()
    {
        var metrics = new ApiRequestMetrics();
        metrics.Record("GET", "/modules/", 200, TimeSpan.FromMilliseconds(1));
        metrics.Record("GET", "/modules/", 200, TimeSpan.FromMilliseconds(30));
        metrics.Record("GET", "/modules/", 200, TimeSpan.FromSeconds(60));
        metrics.Record("BREW", "/modules/", 405, TimeSpan.FromMilliseconds(1));
        var w = new PrometheusTextWriter();

        metrics.Write(w);

        var lines = w.ToString().Split('\n');
        Assert.Contains("hover_api_requests_total{method=\"GET\",route=\"/modules/\",status=\"200\"} 3", lines);
        Assert.Contains("hover_api_requests_total{method=\"OTHER\",route=\"/modules/\",status=\"405\"} 1", lines);
        Assert.Contains("hover_api_request_duration_seconds_bucket{method=\"GET\",route=\"/modules/\",status=\"200\",le=\"0.005\"} 1", lines);
        Assert.Contains("hover_api_request_duration_seconds_bucket{method=\"GET\",route=\"/modules/\",status=\"200\",le=\"0.05\"} 2", lines);
        Assert.Contains("hover_api_request_duration_seconds_bucket{method=\"GET\",route=\"/modules/\",status=\"200\",le=\"10\"} 2", lines);
        Assert.Contains("hover_api_request_duration_seconds_bucket{method=\"GET\",route=\"/modules/\",status=\"200\",le=\"+Inf\"} 3", lines);
        Assert.Contains("hover_api_request_duration_seconds_count{method=\"GET\",route=\"/modules/\",status=\"200\"} 3", lines);
        Assert.Single(lines, l => l == "# TYPE hover_api_request_duration_seconds histogram");
    }
}
