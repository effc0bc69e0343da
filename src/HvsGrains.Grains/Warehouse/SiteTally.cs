using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// Racks and modules per hazard level, kept up to date one rack report at a time (a report replaces
/// its rack's previous one), so the site's counts cost the alerts of one rack, not a walk of the site.
/// </summary>
public sealed class SiteTally
{
    private static readonly int Levels = Enum.GetValues<HazardLevel>().Length;
    private readonly int[] _racks = new int[Levels];
    private readonly int[] _modules = new int[Levels];

    /// <summary>The highest level of any rack; Normal without racks.</summary>
    public HazardLevel Level
    {
        get
        {
            for (var level = Levels - 1; level > 0; level--)
            {
                if (_racks[level] > 0)
                {
                    return (HazardLevel)level;
                }
            }

            return HazardLevel.Normal;
        }
    }

    /// <summary>Replaces a rack's counts; a null <paramref name="current"/> removes the rack (its modules moved away).</summary>
    public void Replace(RackReport? previous, RackReport? current)
    {
        if (previous is not null)
        {
            Count(previous, -1);
        }

        if (current is not null)
        {
            Count(current, +1);
        }
    }

    /// <summary>Modules at each level, indexed by the level (a copy).</summary>
    public int[] ModulesByLevel() => (int[])_modules.Clone();

    private void Count(RackReport report, int sign)
    {
        _racks[(int)report.Level] += sign;
        _modules[(int)HazardLevel.Normal] += sign * (report.ModuleCount - report.Alerts.Count);
        foreach (var alert in report.Alerts)
        {
            _modules[(int)alert.Level] += sign;
        }
    }
}
