using HvsGrains.Grains.Hazard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Forecasting;

public static class ForecastExtensions
{
    /// <summary>Binds and validates "Hvs:Forecast" and registers the one <see cref="SurfaceForecaster"/> the module grains share.</summary>
    public static IServiceCollection AddForecasts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForecastOptions>().Bind(configuration.GetSection(ForecastOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForecastOptions>, ForecastOptionsValidator>();
        services.AddSingleton(sp => new SurfaceForecaster(
            sp.GetRequiredService<IOptions<ForecastOptions>>().Value,
            sp.GetRequiredService<IOptions<HazardRuleOptions>>().Value.MaxSurfaceTempC));
        return services;
    }
}
