using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Grains.ModelScoring.Shadow;

public static class ShadowTrialExtensions
{
    /// <summary>Reports what this silo's modules compare while a candidate runs in shadow (see ModelScoring/README.md, Shadow).</summary>
    public static IServiceCollection AddShadowTrials(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShadowOptions>().Bind(configuration.GetSection(ShadowOptions.SectionName))
            .Validate(o => o.ReportInterval > TimeSpan.Zero, "Hvs:Model:Shadow:ReportInterval must be positive.")
            .Validate(o => o.DifferencesKept >= 1, "Hvs:Model:Shadow:DifferencesKept must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<ShadowMetrics>();
        services.AddSingleton<ShadowReporter>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowReporter>());
        return services;
    }
}
