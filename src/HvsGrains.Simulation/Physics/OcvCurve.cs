namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Open-circuit voltage of one cell versus state of charge, as a table on an even SoC grid
/// (0, 0.1, …, 1) with linear interpolation; above 100 % SoC the voltage climbs linearly
/// (overcharge), below 0 % it falls linearly.
/// </summary>
public sealed class OcvCurve
{
    private readonly double[] _volts;
    private readonly double _step;
    private readonly double _overchargeSlope;

    /// <param name="voltsOnEvenGrid">OCV at SoC = 0, 1/(n−1), …, 1.</param>
    /// <param name="overchargeVoltsPerUnitSoc">dV/dSoC beyond SoC = 1 (V per 100 % overcharge).</param>
    public OcvCurve(double[] voltsOnEvenGrid, double overchargeVoltsPerUnitSoc)
    {
        ArgumentNullException.ThrowIfNull(voltsOnEvenGrid);
        if (voltsOnEvenGrid.Length < 2)
        {
            throw new ArgumentException("Need at least two points.", nameof(voltsOnEvenGrid));
        }

        _volts = (double[])voltsOnEvenGrid.Clone();
        _step = 1.0 / (_volts.Length - 1);
        _overchargeSlope = overchargeVoltsPerUnitSoc;
    }

    /// <summary>OCV of one cell at the given SoC (fraction, may be outside 0..1).</summary>
    public double Volts(double soc)
    {
        if (soc >= 1.0)
        {
            return _volts[^1] + (_overchargeSlope * (soc - 1.0));
        }

        if (soc <= 0.0)
        {
            // Steep fall below empty; clamp to keep the voltage physical.
            return Math.Max(0.0, _volts[0] + (5.0 * soc));
        }

        double x = soc / _step;
        int i = (int)x;
        double f = x - i;
        return _volts[i] + ((_volts[i + 1] - _volts[i]) * f);
    }
}
