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

    private readonly SensorFaultKind _fault;
    private readonly double _faultStartS;
    private SimRandom _rng;
    private double? _stuckMax;
    private double? _stuckAvg;

    public SensorModel(ulong seed, int moduleIndex, SensorFaultKind fault, double faultStartS)
    {
        _rng = new SimRandom(seed, 0x5E45, (ulong)moduleIndex + 1);
        _fault = fault;
        _faultStartS = faultStartS;
    }

    /// <summary>Reads the module (cells in series <paramref name="cells"/>) at time t.</summary>
    public SensorReading Read(in ModuleState s, in RackAir air, int cells, double t)
    {
        double avgSurface = s.SurfaceC + ((s.CoreC - s.SurfaceC) * 0.5 / cells);
        var r = new SensorReading
        {
            VoltageV = Ch(s.TerminalVoltageV + (VoltNoise * _rng.NextGaussian())),
            CurrentA = Ch(s.CurrentA + (CurrentNoise * _rng.NextGaussian())),
            SocPercent = Ch(Math.Clamp((s.Soc * 100.0) + (SocNoise * _rng.NextGaussian()), 0.0, 120.0)),
            AvgSurfaceTempC = Ch(avgSurface + (TempNoise * _rng.NextGaussian())),
            MaxSurfaceTempC = Ch(s.MaxSurfaceC + (TempNoise * _rng.NextGaussian())),
            AmbientTempC = Ch(air.AirC + (AmbientNoise * _rng.NextGaussian())),
            CoPpm = Ch(Gas(CoBackground + air.CoPpm, CoNoise, CoMax)),
            H2Ppm = Ch(Gas(H2Background + air.H2Ppm, H2Noise, H2Max)),
            VocPpm = Ch(Gas(VocBackground + air.VocPpm, VocNoise, VocMax)),
        };

        if (_rng.NextDouble() < ReadingMissingP)
        {
            return default;
        }

        if (_fault != SensorFaultKind.None && t >= _faultStartS)
        {
            InjectFault(ref r, t);
        }

        return r;
    }

    private double? Ch(double v) => _rng.NextDouble() < ChannelMissingP ? null : v;

    private double Gas(double ppm, double noise, double max) =>
        Math.Clamp(ppm + ((noise + (GasRelNoise * ppm)) * _rng.NextGaussian()), 0.0, max);

    private void InjectFault(ref SensorReading r, double t)
    {
        switch (_fault)
        {
            case SensorFaultKind.Stuck:
                // The surface thermistors freeze at their first faulty reading.
                _stuckMax ??= r.MaxSurfaceTempC;
                _stuckAvg ??= r.AvgSurfaceTempC;
                r.MaxSurfaceTempC = _stuckMax;
                r.AvgSurfaceTempC = _stuckAvg;
                break;
            case SensorFaultKind.Drift:
                // Thermistor drift of +3 K/h, saturating at +20 K (failing connector).
                double drift = Math.Min(20.0, 3.0 * (t - _faultStartS) / 3600.0);
                r.MaxSurfaceTempC += drift;
                r.AvgSurfaceTempC += drift;
                break;
            case SensorFaultKind.Spikes:
                if (_rng.NextDouble() < 0.01)
                {
                    r.MaxSurfaceTempC += _rng.Uniform(30.0, 80.0); // EMI spike for one sample
                }

                break;
            case SensorFaultKind.Dropouts:
                if (_rng.NextDouble() < 0.2)
                {
                    r = default; // intermittent CAN frame loss
                }

                break;
            case SensorFaultKind.Outliers:
                double u = _rng.NextDouble();
                if (u < 0.005)
                {
                    r.VoltageV = 0.0;
                }
                else if (u < 0.01)
                {
                    r.CoPpm = _rng.Uniform(100.0, 400.0); // cross-sensitivity glitch
                }
                else if (u < 0.015)
                {
                    r.AvgSurfaceTempC = -40.0; // open-circuit thermistor reading
                }

                break;
            default:
                break;
        }
    }
}
