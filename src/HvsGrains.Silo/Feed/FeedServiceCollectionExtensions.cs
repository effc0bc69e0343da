namespace HvsGrains.Silo.Feed;

public static class FeedServiceCollectionExtensions
{
    /// <summary>Adds the simulated feed when "Hvs:Feed:Enabled" is true.</summary>
    public static IServiceCollection AddSimulatedFeed(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SimulatedFeedOptions.SectionName);
        services.Configure<SimulatedFeedOptions>(section);
        if (section.GetValue<bool>(nameof(SimulatedFeedOptions.Enabled)))
        {
            services.AddHostedService<SimulatedFeedService>();
        }

        return services;
    }
}
