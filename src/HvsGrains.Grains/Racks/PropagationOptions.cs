namespace HvsGrains.Grains.Racks;

/// <summary>When neighbouring modules count as heating together, bound from "Hvs:Propagation".</summary>
public sealed class PropagationOptions
{
    public const string SectionName = "Hvs:Propagation";

    /// <summary>
    /// A neighbour heating at least this fast counts as heating, °C/min. 1 °C/min is twice the rate
    /// of benign high-load heating and ten times an HVAC-failure drift, yet well below the rise a
    /// neighbour shows while conducting heat from a module in runaway.
    /// </summary>
    public double NeighbourHeatingRateCPerMin { get; set; } = 1.0;

    /// <summary>
    /// ... and has risen at least this much over 10 minutes, °C: several times thermistor noise, so a
    /// one-minute slope from noise or a step never names a neighbour that is not heating.
    /// </summary>
    public double NeighbourRiseC { get; set; } = 2.0;
}
