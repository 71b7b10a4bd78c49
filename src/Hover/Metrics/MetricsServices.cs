namespace IoVisor.Hover.Metrics;

public static class MetricsServices
{
    /// <summary>The sources GET /metrics asks, and the request metrics its middleware feeds.</summary>
    public static IServiceCollection AddHoverMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ApiRequestMetrics>();
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<ApiRequestMetrics>());
        services.AddSingleton<IMetricsSource, GraphMetrics>();
        services.AddSingleton<IMetricsSource, SlowPathMetrics>();
        return services;
    }

    public static IApplicationBuilder UseApiMetrics(this IApplicationBuilder app) => app.UseMiddleware<ApiMetricsMiddleware>();
}
