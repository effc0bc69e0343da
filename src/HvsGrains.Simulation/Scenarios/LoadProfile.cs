namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// String current of a rack over time (positive = discharge), in C-rate multiples of the
/// module capacity, with a BMS that stops charging at 95 % and discharging at 10 % SoC.
/// </summary>
public sealed class LoadProfile
{
    private readonly LoadProfileKind _kind;
    private readonly double _capacityAh;
    private readonly double _startHourOfDay;
    private readonly double _scale;
    private SimRandom _rng;
    private double _ou;

    /// <summary>Creates the profile for a scenario; randomness comes from its seed.</summary>
    public LoadProfile(ScenarioSpec spec, double capacityAh)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _kind = spec.Load;
        _capacityAh = capacityAh;
        _startHourOfDay = spec.StartTime.TimeOfDay.TotalHours;
        _rng = new SimRandom(spec.Seed, 0x10AD);
        _scale = _rng.Uniform(0.8, 1.2);
    }

    /// <summary>Current at time t (s), given the rack's mean SoC; call once per step of dt seconds.</summary>
    public double CurrentA(double t, double dt, double meanSoc)
    {
        double c = _kind switch
        {
            LoadProfileKind.Idle => 0.0,
            LoadProfileKind.DailyCycle => Daily(t),
            LoadProfileKind.HighLoad => ((long)(t / 3600.0) % 2 == 0) ? 1.0 : -1.0,
            LoadProfileKind.FrequencyRegulation => Regulation(dt),
            _ => 0.0,
        };

        double amps = c * _scale * _capacityAh;
        if ((amps < 0 && meanSoc >= 0.95) || (amps > 0 && meanSoc <= 0.10))
        {
            return 0.0;
        }

        return amps;
    }

    private double Daily(double t)
    {
        double hour = (_startHourOfDay + (t / 3600.0)) % 24.0;
        return hour switch
        {
            >= 1.0 and < 5.0 => -0.25,
            >= 17.0 and < 21.0 => 0.3,
            _ => 0.0,
        };
    }

    // Ornstein–Uhlenbeck with a 5 min correlation time and ±0.5 C stationary spread.
    private double Regulation(double dt)
    {
        const double tau = 300.0, sigma = 0.5;
        _ou += (-_ou * dt / tau) + (sigma * Math.Sqrt(2.0 * dt / tau) * _rng.NextGaussian());
        return Math.Clamp(_ou, -1.0, 1.0);
    }
}
