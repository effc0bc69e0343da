using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// Turns a module's true state into sensor values: Gaussian noise per channel, rare random
/// missing values, range limits, and (when asked) one injected defect: stuck, drift, spikes,
/// dropouts or outliers. Each module owns one instance with its own seeded stream.
/// </summary>
public sealed class SensorModel
{
    // Noise standard deviations: BMS-grade module voltage (±0.1 % of ~50 V), Hall current
    // sensor, NTC thermistors (±0.2 °C), electrochemical CO/H2 cells (±0.3 ppm at low range),
    // PID VOC (±0.15 ppm) — all plus 3 % of reading on the gas channels.
    private const double VoltNoise = 0.05, CurrentNoise = 0.3, SocNoise = 0.3, TempNoise = 0.15, AmbientNoise = 0.2;
    private const double CoNoise = 0.3, H2Noise = 0.3, VocNoise = 0.15, GasRelNoise = 0.03;

    // Building background: CO ~1 ppm, H2 ~0.5 ppm (atmospheric), VOC ~0.3 ppm.
    private const double CoBackground = 1.0, H2Background = 0.5, VocBackground = 0.3;

    // Full-scale ranges: CO 0–2000 ppm, H2 0–5000 ppm, PID 0–10000 ppm.
    private const double CoMax = 2000, H2Max = 5000, VocMax = 10000;

    // Each channel is missing in 0.05 % of samples; a whole reading is lost in 0.02 %.
    private const double ChannelMissingP = 5e-4, ReadingMissingP = 2e-4;

    // BMS SoC estimates are clamped a little above 100 % (the front door accepts up to 105 %).
    private const double MaxReportedSocPercent = 105.0;

    private readonly SensorFaultKind _fault;
    private readonly double _faultStartS;
    private SimRandom _rng;
    private double? _stuckMax;
    private double? _stuckAvg;

    private readonly GasSensing _gas;

    public SensorModel(ulong seed, int moduleIndex, SensorFaultKind fault, double faultStartS, GasSensing gas = GasSensing.SharedInModuleReadings)
    {
        _gas = gas;
        _rng = new SimRandom(seed, 0x5E45, (ulong)moduleIndex + 1);
        _fault = fault;
        _faultStartS = faultStartS;
    }

    /// <summary>Reads the module (cells in series <paramref name="cells"/>) at time t as the domain
    /// reading of <paramref name="moduleId"/> in <paramref name="rackId"/>, stamped <paramref name="timestamp"/>.</summary>
    public SensorReading Read(in ModuleState s, in RackAir air, int cells, double t, string moduleId, string rackId, DateTimeOffset timestamp)
    {
        double avgSurface = s.SurfaceC + ((s.CoreC - s.SurfaceC) * 0.5 / cells);

        // Channels are drawn in a fixed order (voltage … VOC) so a seed always gives the same noise.
        double? voltage = Ch(s.TerminalVoltageV + (VoltNoise * _rng.NextGaussian()));
        double? current = Ch(s.CurrentA + (CurrentNoise * _rng.NextGaussian()));
        // The BMS's SoC estimate saturates at 105 % even when an overcharged cell is beyond it.
        double? soc = Ch(Math.Clamp((s.Soc * 100.0) + (SocNoise * _rng.NextGaussian()), 0.0, MaxReportedSocPercent));
        double? avg = Ch(avgSurface + (TempNoise * _rng.NextGaussian()));
        double? max = Ch(s.MaxSurfaceC + (TempNoise * _rng.NextGaussian()));
        double? ambient = Ch(air.AirC + (AmbientNoise * _rng.NextGaussian()));
        // Gas noise is drawn in every mode so a seed gives the same temperatures whatever the sensing.
        bool own = _gas == GasSensing.PerModule;
        double? co = Ch(Gas(CoBackground + air.CoPpm + (own ? s.LocalCoPpm : 0), CoNoise, CoMax));
        double? h2 = Ch(Gas(H2Background + air.H2Ppm + (own ? s.LocalH2Ppm : 0), H2Noise, H2Max));
        double? voc = Ch(Gas(VocBackground + air.VocPpm + (own ? s.LocalVocPpm : 0), VocNoise, VocMax));
        if (_gas == GasSensing.PerRack)
        {
            (co, h2, voc) = (null, null, null); // the rack's detector reports gas, not the module
        }

        // The BMS reports the hottest and the mean of the same thermistors, so max ≥ avg.
        if (max is { } mx && avg is { } av && mx < av)
        {
            max = av;
        }

        if (_rng.NextDouble() < ReadingMissingP)
        {
            return new SensorReading(moduleId, rackId, timestamp); // the whole frame was lost
        }

        var r = new SensorReading(moduleId, rackId, timestamp, voltage, current, soc, avg, max, ambient, co, h2, voc);
        return _fault != SensorFaultKind.None && t >= _faultStartS ? InjectFault(r, t) : r;
    }

    /// <summary>The rack's gas detector: room air and gas, sent without a module id.</summary>
    public SensorReading ReadRack(in RackAir air, string rackId, DateTimeOffset timestamp)
    {
        double? ambient = Ch(air.AirC + (AmbientNoise * _rng.NextGaussian()));
        double? co = Ch(Gas(CoBackground + air.CoPpm, CoNoise, CoMax));
        double? h2 = Ch(Gas(H2Background + air.H2Ppm, H2Noise, H2Max));
        double? voc = Ch(Gas(VocBackground + air.VocPpm, VocNoise, VocMax));
        return new SensorReading(SensorReading.RackSensorId(rackId), rackId, timestamp, AmbientTempC: ambient, CoPpm: co, H2Ppm: h2, VocPpm: voc);
    }

    private double? Ch(double v) => _rng.NextDouble() < ChannelMissingP ? null : v;

    private double Gas(double ppm, double noise, double max) =>
        Math.Clamp(ppm + ((noise + (GasRelNoise * ppm)) * _rng.NextGaussian()), 0.0, max);

    private SensorReading InjectFault(SensorReading r, double t)
    {
        switch (_fault)
        {
            case SensorFaultKind.Stuck:
                // The surface thermistors freeze at their first faulty reading.
                _stuckMax ??= r.MaxSurfaceTempC;
                _stuckAvg ??= r.AvgSurfaceTempC;
                return r with { MaxSurfaceTempC = _stuckMax, AvgSurfaceTempC = _stuckAvg };
            case SensorFaultKind.Drift:
                // Thermistor drift of +3 K/h, saturating at +20 K (failing connector).
                double drift = Math.Min(20.0, 3.0 * (t - _faultStartS) / 3600.0);
                return r with { MaxSurfaceTempC = r.MaxSurfaceTempC + drift, AvgSurfaceTempC = r.AvgSurfaceTempC + drift };
            case SensorFaultKind.Spikes:
                // EMI spike for one sample.
                return _rng.NextDouble() < 0.01 ? r with { MaxSurfaceTempC = r.MaxSurfaceTempC + _rng.Uniform(30.0, 80.0) } : r;
            case SensorFaultKind.Dropouts:
                // Intermittent CAN frame loss.
                return _rng.NextDouble() < 0.2 ? new SensorReading(r.ModuleId, r.RackId, r.Timestamp) : r;
            case SensorFaultKind.Outliers:
                double u = _rng.NextDouble();
                return u switch
                {
                    < 0.005 => r with { VoltageV = 0.0 },
                    < 0.01 => r with { CoPpm = _rng.Uniform(100.0, 400.0) }, // cross-sensitivity glitch
                    < 0.015 => r with { AvgSurfaceTempC = -40.0 }, // open-circuit thermistor reading
                    _ => r,
                };
            default:
                return r;
        }
    }
}
