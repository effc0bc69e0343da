using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Racks;

/// <summary>How the rack grain weighs peer deviation and rack gas, bound from "Hvs:RackEvidence".</summary>
public sealed class RackEvidenceOptions
{
    public const string SectionName = "Hvs:RackEvidence";

    /// <summary>
    /// Hottest surface above the median of the rack's other modules, °C. Modules in one rack share air
    /// and current and sit within ~1 °C of each other; 2 °C is a module leaving its peers, 4 °C while still
    /// rising faster than they do one running away (the thresholds of the evaluation in
    /// src/HvsGrains.Silo/BundledModel/deployed-policy-evaluation.md).
    /// Warning needs the module also still rising faster than its peers (<see cref="WarningRiseAboveMedianC"/>),
    /// so a thermistor drifting slowly (+3 °C/h) stays at Watch.
    /// </summary>
    public LevelThresholds TempAboveMedianC { get; set; } = new() { Watch = 2, Warning = 4, Critical = 15, ClearMargin = 1 };

    /// <summary>Rise over 10 minutes above the peers' rise, °C, that lets a temperature excess count as Warning or higher.</summary>
    public double WarningRiseAboveMedianC { get; set; } = 1.0;

    /// <summary>Rise over 10 minutes above the peers' rise, °C, that is Watch on its own.</summary>
    public double WatchRiseAboveMedianC { get; set; } = 1.0;

    /// <summary>Voltage below the peers' median, %: a cell draining through a short. Watch only (a weak cell sags too).</summary>
    public double WatchVoltageSagPercent { get; set; } = 2.0;

    /// <summary>
    /// H2 at least this share of CO marks battery off-gas (decomposition gas is 10–50 % H2; exhaust and
    /// smoke carry little H2 beside their CO). Gas without it, and without a module heating, stays at Watch.
    /// </summary>
    public double VentH2ToCoRatio { get; set; } = 0.2;

    /// <summary>
    /// A rise above Watch must last this long (sensor time) before the event takes it: a spike of a thermistor
    /// (EMI) or a 0 V frame is gone by the next report or the one after, a module running away is not. Three
    /// readings at 10 s: with 20 s, two EMI spikes in a row raised one false alarm in 1,152 simulated module-days.
    /// </summary>
    public TimeSpan ConfirmationTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where gas sensors are per module: a module's gas this many times the rack's median is a local source.</summary>
    public double LocalGasFactor { get; set; } = 2.0;
}
