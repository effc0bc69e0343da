using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Drift;

public static class DriftExtensions
{
    /// <summary>Watches the model's inputs for drift against its training baseline (options "Hvs:Drift", validated at start).</summary>
    public static IServiceCollection AddModelDrift(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DriftOptions>().Bind(configuration.GetSection(DriftOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DriftOptions>, DriftOptionsValidator>();
        services.AddSingleton<DriftMonitor>();
        services.AddSingleton<DriftReporter>();
        services.AddHostedService(sp => sp.GetRequiredService<DriftReporter>());
        return services;
    }
}
