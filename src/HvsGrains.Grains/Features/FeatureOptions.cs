using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Features;

/// <summary>
/// Tuning of <see cref="ModuleFeatureState"/>. The simulator's dataset writer and the module grain
/// must use the same options, or training and serving drift apart.
/// </summary>
public sealed record FeatureOptions
{
    public static FeatureOptions Default { get; } = new();

    /// <summary>Per channel (indexed by <see cref="SensorChannel"/>); null means never clip that channel.</summary>
    public IReadOnlyList<SpikeLimit?> SpikeLimits { get; init; } =
    [
        null, // Voltage: contactors and internal shorts step it instantly; a collapse must never be delayed.
        null, // Current: load steps are instantaneous and real.
        new(2, 1), // SoC: even a 5C discharge moves SoC only 0.14 %/s; larger steps are BMS re-estimation glitches.
        new(20, 2), // Avg surface: module surfaces heat at most ~10 °C/s even in runaway (housing mass); floor = thermistor noise.
        new(20, 2), // Max surface: same physics as the average.
        new(10, 2), // Ambient: room air mixes, so a single air sensor changes slower than a cell surface.
        new(200, 20), // CO: electrochemical sensors need 20-60 s to reach 90 %, so a real rise is slew-limited.
        new(200, 20), // H2: same sensor physics as CO.
        new(200, 20), // VOC: PID sensors respond in seconds, not in one sample.
    ];

    /// <summary>
    /// Value used for a channel that has never reported (marked imputed, and not "observed" so hazard
    /// rules ignore it). Chosen so that no rule fires: a conditioned warehouse at rest.
    /// </summary>
    public IReadOnlyList<double> MissingDefaults { get; init; } =
    [
        0, // Voltage: unknown per module design; rules skip it until observed.
        0, // Current: at rest.
        50, // SoC: storage mid-point.
        25, // Avg surface °C: conditioned warehouse.
        25, // Max surface °C.
        25, // Ambient °C.
        0, // CO ppm.
        0, // H2 ppm.
        0, // VOC ppm.
    ];

    internal void Check()
    {
        if (SpikeLimits.Count != SensorChannels.Count || MissingDefaults.Count != SensorChannels.Count)
        {
            throw new ArgumentException($"FeatureOptions needs exactly {SensorChannels.Count} spike limits and defaults, one per sensor channel.");
        }
    }
}
