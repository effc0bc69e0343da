using System.Globalization;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// Finds neighbouring modules heating together. Modules sorted by id are taken as physically
/// adjacent (ids number slots: RackA2_Module01, _Module02, …), the convention of the seed data.
/// </summary>
public sealed class PropagationDetector(PropagationOptions options)
{
    public PropagationRisk Assess(IReadOnlyCollection<ModuleReport> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var ordered = modules.OrderBy(m => m.ModuleId, StringComparer.Ordinal).ToList();
        var involved = new SortedSet<string>(StringComparer.Ordinal);
        var details = new List<string>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var source = ordered[i];
            if (source.Level < HazardLevel.Warning)
            {
                continue;
            }

            // Only a neighbour that really heats is named: the one at fault is the source, not a victim.
            foreach (var neighbour in new[] { i > 0 ? ordered[i - 1] : null, i + 1 < ordered.Count ? ordered[i + 1] : null })
            {
                if (neighbour is not null && neighbour.Level < source.Level && IsHeating(neighbour))
                {
                    involved.Add(source.ModuleId);
                    involved.Add(neighbour.ModuleId);
                    details.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{neighbour.ModuleId} heating at {neighbour.TempRateCPerMin:0.0} °C/min (up {neighbour.RiseC:0.0} °C in 10 min, now {neighbour.MaxSurfaceTempC:0.#} °C) next to {source.ModuleId} ({source.Level})"));
                }
            }
        }

        return involved.Count == 0
            ? PropagationRisk.None
            : new PropagationRisk(true, [.. involved], "Heat spreading to a neighbour: " + string.Join("; ", details));
    }

    // Heating means rising now and over the last minutes: a neighbour's one-minute wobble, or one held at a level
    // by a shared cause, is not warming.
    private bool IsHeating(ModuleReport module) =>
        module.TempRateCPerMin >= options.NeighbourHeatingRateCPerMin && module.RiseC >= options.NeighbourRiseC;
}
