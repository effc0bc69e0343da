namespace HvsGrains.Silo.Hosting;

public static class IdleMemoryReleaseExtensions
{
    /// <summary>Gives memory back when the silo is quiet after a burst; options in section "Hvs:Memory".</summary>
    public static IServiceCollection AddIdleMemoryRelease(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdleMemoryOptions>().Bind(configuration.GetSection(IdleMemoryOptions.SectionName))
            .Validate(o => { o.EnsureValid(); return true; }).ValidateOnStart();
        services.AddHostedService<IdleMemoryRelease>();
        return services;
    }
}
