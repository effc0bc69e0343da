using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Notifications;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains;

public static class WarehouseDomainExtensions
{
    /// <summary>
    /// Registers what the module, rack and warehouse grains need (Orleans finds the grains themselves
    /// in this assembly); the silo adds grain storage and a readings log (<see cref="ReadingLogSiloBuilderExtensions"/>).
    /// </summary>
    public static ISiloBuilder AddWarehouseGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddOptions<HazardRuleOptions>().Bind(configuration.GetSection(HazardRuleOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HazardRuleOptions>, HazardRuleOptionsValidator>();
        services.AddOptions<ModuleOptions>().Bind(configuration.GetSection(ModuleOptions.SectionName))
            .Validate(o => o.SnapshotInterval > TimeSpan.Zero, "Hvs:Modules:SnapshotInterval must be positive.").ValidateOnStart();
        services.Configure<PropagationOptions>(configuration.GetSection(PropagationOptions.SectionName));
        services.Configure<ModelDomain>(configuration.GetSection(ModelDomain.SectionName));
        services.Configure<RackEvidenceOptions>(configuration.GetSection(RackEvidenceOptions.SectionName));
        services.Configure<WarehouseOptions>(configuration.GetSection(WarehouseOptions.SectionName));
        services.AddSingleton(sp => new HazardPolicy(sp.GetRequiredService<IOptions<HazardRuleOptions>>().Value));
        services.AddSingleton(sp => new PropagationDetector(sp.GetRequiredService<IOptions<PropagationOptions>>().Value));
        services.AddSingleton(sp => new RackEventAssessor(sp.GetRequiredService<IOptions<HazardRuleOptions>>().Value, sp.GetRequiredService<IOptions<RackEvidenceOptions>>().Value));
        services.TryAddSingleton<IHazardScorer, RulesOnlyScorer>();
        services.AddForecasts(configuration);
        services.AddSingleton<ModuleMetrics>();
        services.AddOptions<AnomalyOptions>().Bind(configuration.GetSection(AnomalyOptions.SectionName))
            .Validate(o => o.ClearAfter >= TimeSpan.Zero && o.RaiseAfter >= TimeSpan.Zero, "Hvs:Anomaly:RaiseAfter and ClearAfter must not be negative.").ValidateOnStart();
        services.AddSingleton<AnomalyMetrics>();
        services.AddSingleton<SiteMetrics>();
        services.AddWebhooks(configuration);
        services.TryAddSingleton(TimeProvider.System);
        return silo;
    }
}
