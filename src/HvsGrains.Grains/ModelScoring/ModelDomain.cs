using System.Globalization;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// What the hazard model was trained on, so a module beyond it is said to be beyond it rather than
/// shown with the (meaningless) probability the trees give there. Bound from "Hvs:Model:Domain".
/// <para>
/// The models' metadata carries no training range yet, so the bound is derived from how they are
/// trained: rows are fitted only up to 30 s before a module's point of no return (src/training, "Rows
/// fitted"), and the simulator's point of no return is a core temperature of 140 °C
/// (<c>EventCriteria.PnrTempC</c>), which bounds the surface the sensors read (the hottest surface lies
/// between the core and the average surface). A surface reading above 140 °C is therefore one no
/// training row had: the module is in or past runaway, where only the rules speak.
/// </para>
/// </summary>
public sealed class ModelDomain
{
    public const string SectionName = "Hvs:Model:Domain";

    /// <summary>The hottest surface temperature a training row can have had.</summary>
    public double MaxSurfaceTempC { get; set; } = 140;

    /// <summary>Why <paramref name="features"/> lie beyond the training domain, or null when within it.</summary>
    public string? Beyond(FeatureVector? features)
    {
        if (features is null)
        {
            return null;
        }

        var hottest = Math.Max(features.Value(SensorChannel.MaxSurfaceTemp), features.Value(SensorChannel.AvgSurfaceTemp));
        return hottest > MaxSurfaceTempC
            ? string.Create(CultureInfo.InvariantCulture,
                $"surface {hottest:0.#} °C is above {MaxSurfaceTempC:0.#} °C, the hottest the model was trained on (it learnt from readings before the point of no return); its probability here means nothing, the safety rules decide")
            : null;
    }
}
