namespace IoVisor.Hover.Metrics;

/// <summary>
/// Contributes metric families to GET /metrics. Every source registered in DI as
/// <c>IMetricsSource</c> is asked in turn, so a part of the daemon adds its metrics with one
/// registration: <c>services.AddSingleton&lt;IMetricsSource, MySource&gt;()</c>. A source writes each
/// family it owns once, its HELP and TYPE first (<see cref="PrometheusTextWriter.Family"/>).
/// </summary>
public interface IMetricsSource
{
    void Write(PrometheusTextWriter writer);
}
