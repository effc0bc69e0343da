using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// Gas from outside the batteries in the supply air, for <see cref="FaultType.ExternalGas"/>: a vehicle's
/// exhaust (severity 1: CO 60–150 ppm with some hydrocarbons) or smoke from a fire elsewhere (severity 2:
/// CO 100–300 ppm, VOC 10–40 ppm), building up over 5 minutes, lasting 20–60, then clearing. Neither has the
/// hydrogen of battery off-gas (exhaust and smoke carry a few ppm of H2 beside hundreds of CO). It reaches
/// every rack of the building at once; a scenario shows one of them.
/// </summary>
internal sealed class ExternalGasProfile
{
    private const double RampS = 300.0;
    private readonly double _startS;
    private readonly double _lengthS;
    private readonly double _co;
    private readonly double _h2;
    private readonly double _voc;

    public ExternalGasProfile(ScenarioSpec spec)
    {
        var rng = new SimRandom(spec.Seed, 0x6A55);
        _startS = spec.Fault == FaultType.ExternalGas ? spec.FaultStart.TotalSeconds : double.PositiveInfinity;
        _lengthS = rng.Uniform(20.0, 60.0) * 60.0;
        bool smoke = spec.Severity >= 2;
        _co = smoke ? rng.Uniform(100.0, 300.0) : rng.Uniform(60.0, 150.0);
        _voc = smoke ? rng.Uniform(10.0, 40.0) : rng.Uniform(2.0, 8.0);
        _h2 = _co * rng.Uniform(0.005, 0.03);
    }

    /// <summary>The environment with the outside gas at time <paramref name="t"/>.</summary>
    public RackEnvironment Apply(in RackEnvironment env, double t)
    {
        double since = t - _startS;
        if (since <= 0 || since >= _lengthS + RampS)
        {
            return env;
        }

        double share = since < RampS ? since / RampS : since > _lengthS ? 1.0 - ((since - _lengthS) / RampS) : 1.0;
        return env with { SupplyCoPpm = _co * share, SupplyH2Ppm = _h2 * share, SupplyVocPpm = _voc * share };
    }
}
