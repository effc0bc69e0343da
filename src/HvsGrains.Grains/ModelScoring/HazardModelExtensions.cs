using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Grains.ModelScoring.Shadow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HvsGrains.Grains.ModelScoring;

public static class HazardModelExtensions
{
    /// <summary>Scores readings with the site's ONNX model (bundled or uploaded through the catalog), falling back to the rules.</summary>
    public static IServiceCollection AddHazardModel(this IServiceCollection services, IConfiguration configuration, string modelsDirectory)
    {
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.SectionName))
            .PostConfigure(o => o.Directory = modelsDirectory);
        services.AddSingleton<ScoringMetrics>();
        services.AddSingleton<HazardModelManager>();
        services.AddModelDrift(configuration);
        services.AddSingleton<BatchingHazardScorer>();
        services.Replace(ServiceDescriptor.Singleton<IHazardScorer>(sp => sp.GetRequiredService<BatchingHazardScorer>()));
        services.AddHostedService<ModelStartup>();
        // After the start-up load: the silo then follows the site's catalog (uploads and rollbacks at any silo).
        services.AddSingleton<ModelCatalogFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelCatalogFollower>());
        services.AddShadowTrials(configuration);
        return services;
    }

    /// <summary>Loads the model before the front door opens, so the first reading is already scored.</summary>
    private sealed class ModelStartup(HazardModelManager models) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            models.LoadAtStartup();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
