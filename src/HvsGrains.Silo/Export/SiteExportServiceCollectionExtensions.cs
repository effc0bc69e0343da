namespace HvsGrains.Silo.Export;

public static class SiteExportServiceCollectionExtensions
{
    /// <summary>The site's dataset export: its options (<c>Hvs:Export</c>, validated at start) and the exporter.</summary>
    public static IServiceCollection AddSiteExport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SiteExportOptions>().Bind(configuration.GetSection(SiteExportOptions.SectionName))
            .Validate(o => { o.EnsureValid(); return true; }).ValidateOnStart();
        services.AddSingleton<SiteDatasetExporter>();
        return services;
    }
}
