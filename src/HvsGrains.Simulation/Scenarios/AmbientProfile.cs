using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// Supply air and ventilation of a rack over time. Outdoor air follows a sinusoidal day with
/// its maximum at 15:00; the HVAC holds its set point with a finite capacity.
/// </summary>
public sealed class AmbientProfile
{
    // HVAC air through a rack: ~0.25 m³/s → ṁ·cp ≈ 300 W/K. Natural convection through a
    // closed cabinet after an HVAC trip: ~40 W/K.
    private const double HvacExchangeWPerK = 300.0;
    private const double NaturalExchangeWPerK = 40.0;

    // Off-gas dilution: the container's exhaust ventilation exchanges ~6 air volumes per hour
    // (NFPA 855-style continuous exhaust), ~2/h when the HVAC and fans are down.
    private const double NominalAch = 6.0;
    private const double FailedAch = 2.0;

    private readonly AmbientProfileKind _kind;
    private readonly double _outdoorMeanC;
    private readonly double _outdoorAmplitudeK;
    private readonly double _setPointC;
    private readonly double _failAtS;
    private readonly double _startHourOfDay;

    /// <summary>Draws the day's weather for a scenario from its seed.</summary>
    public AmbientProfile(ScenarioSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var rng = new SimRandom(spec.Seed, 0xA3B1);
        _kind = spec.Ambient;
        bool summer = spec.Ambient is AmbientProfileKind.SummerAfternoon or AmbientProfileKind.HvacFailure;
        _outdoorMeanC = summer ? rng.Uniform(28.0, 34.0) : rng.Uniform(8.0, 24.0);
        _outdoorAmplitudeK = rng.Uniform(4.0, 8.0);
        _setPointC = rng.Uniform(20.0, 24.0);
        _failAtS = spec.FaultStart.TotalSeconds;
        _startHourOfDay = spec.StartTime.TimeOfDay.TotalHours;
    }

    /// <summary>Outdoor air temperature at time t (s since scenario start), °C.</summary>
    public double OutdoorC(double t)
    {
        double hour = _startHourOfDay + (t / 3600.0);
        return _outdoorMeanC + (_outdoorAmplitudeK * Math.Cos(2 * Math.PI * (hour - 15.0) / 24.0));
    }

    /// <summary>Rack boundary conditions at time t, given the string current.</summary>
    public RackEnvironment At(double t, double rackCurrentA)
    {
        double outdoor = OutdoorC(t);
        return _kind switch
        {
            AmbientProfileKind.Controlled => new(_setPointC + (0.3 * Math.Sin(2 * Math.PI * t / 86400.0)), HvacExchangeWPerK, NominalAch, rackCurrentA),
            // The HVAC lets the room follow ~25 % of the outdoor swing.
            AmbientProfileKind.DayCycle => new(_setPointC + (0.25 * (outdoor - _outdoorMeanC)), HvacExchangeWPerK, NominalAch, rackCurrentA),
            // Beyond 25 °C outdoors the undersized HVAC loses ~40 % of each extra kelvin.
            AmbientProfileKind.SummerAfternoon => new(_setPointC + (0.4 * Math.Max(0.0, outdoor - 25.0)), HvacExchangeWPerK, NominalAch, rackCurrentA),
            AmbientProfileKind.HvacFailure => t < _failAtS
                ? new(_setPointC, HvacExchangeWPerK, NominalAch, rackCurrentA)
                // The building warms toward outdoor air plus solar/equipment gains (+5 K).
                : new(outdoor + 5.0, NaturalExchangeWPerK, FailedAch, rackCurrentA),
            _ => throw new InvalidOperationException(),
        };
    }
}
