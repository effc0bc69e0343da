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
        for (var i = 0; i + 1 < ordered.Count; i++)
        {
            var (a, b) = (ordered[i], ordered[i + 1]);
            // A module at Warning or worse next to one that is heating: it may be warming its neighbour.
            if ((a.Level >= HazardLevel.Warning && IsHeating(b)) || (b.Level >= HazardLevel.Warning && IsHeating(a)))
            {
                involved.Add(a.ModuleId);
                involved.Add(b.ModuleId);
                details.Add($"{a.ModuleId} ({a.Level}, {Rate(a)}) next to {b.ModuleId} ({b.Level}, {Rate(b)})");
            }
        }

        return involved.Count == 0
            ? PropagationRisk.None
            : new PropagationRisk(true, [.. involved], "Neighbouring modules heating together: " + string.Join("; ", details));
    }

    // Heating means rising: a neighbour held at Watch by a shared cause (rack off-gas, HVAC) is not warming.
    private bool IsHeating(ModuleReport module) => module.TempRateCPerMin >= options.NeighbourHeatingRateCPerMin;

    private static string Rate(ModuleReport module) =>
        module.TempRateCPerMin is { } rate ? FormattableString.Invariant($"{rate:0.0} °C/min") : "rate unknown";
}
