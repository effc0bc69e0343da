using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.Features;

/// <summary>
/// About 2½ hours of one module's messy readings for the golden-output test: normal duty, missing
/// and non-finite values, single spikes and confirmed jumps, late and duplicate readings, a burst
/// faster than the 1-minute ring holds, gaps longer than every window, readings in a non-UTC offset,
/// a heating ramp into runaway with off-gas and voltage collapse, and a cool-down that clears the
/// hazard latches. Only IEEE-exact arithmetic and its own generator, so the sequence is the same on
/// every machine and runtime.
/// </summary>
internal static class GoldenSequence
{
    public static List<SensorReading> Readings()
    {
        var random = new SplitMix(20250301);
        var list = new List<SensorReading>();
        var t = 0.0;
        var i = 0;

        void Add(double temp, double gas, double voltage, double soc, double step)
        {
            t += step;
            var offset = (i / 500) % 2 == 0 ? TimeSpan.Zero : TimeSpan.FromHours(2);
            var at = TestReadings.Start.AddSeconds(t).ToOffset(offset);
            var r = new SensorReading(
                TestReadings.Module,
                TestReadings.Rack,
                at,
                VoltageV: voltage + (random.Next() * 0.003),
                CurrentA: 10 + (random.Next() * 4) - 2,
                SocPercent: soc,
                AvgSurfaceTempC: temp - 1 + (random.Next() * 0.3),
                MaxSurfaceTempC: temp + (random.Next() * 0.3),
                AmbientTempC: 22 + (t / 3600) + (random.Next() * 0.1),
                CoPpm: 1 + gas + random.Next(),
                H2Ppm: 0.5 + (gas / 2) + (random.Next() * 0.2),
                VocPpm: 0.2 + (gas / 4) + (random.Next() * 0.1));
            r = Mess(r, random, i);
            list.Add(r);
            if (random.Next() < 0.02)
            {
                list.Add(r with { Timestamp = r.Timestamp.AddSeconds(-0.3) }); // late
                list.Add(r with { CoPpm = 7 }); // duplicate timestamp
            }

            i++;
        }

        // Normal duty at ~1 Hz; the first reading lacks some channels, so they start defaulted.
        for (var k = 0; k < 1200; k++)
        {
            // CO steps up for a while: a real jump the spike filter must confirm, not clip.
            var step = k is >= 600 and < 700 ? 500 : 0;
            Add(27 + Triangle(k / 300.0), step, 51.2, 60 - (k * 0.002), 0.5 + random.Next());
        }

        // A burst at 5 Hz: more than the 64 samples the 1-minute ring holds.
        for (var k = 0; k < 150; k++)
        {
            Add(27, 0, 51.2, 57.6, 0.2);
        }

        // Gaps: past the 1-minute window, then past the 10-minute window.
        Add(27, 0, 51.2, 57.6, 75);
        Add(27, 0, 51.2, 57.6, 900);
        for (var k = 0; k < 600; k++)
        {
            Add(27.5, 0, 51.2, 57.5, 1 + (random.Next() * 9));
        }

        // Heating into runaway: accelerating surface, off-gas after a few minutes, voltage collapsing.
        for (var k = 0; k < 1500; k++)
        {
            var minutes = k / 60.0;
            var temp = 28 + (2 * minutes) + (0.9 * minutes * minutes);
            var gas = minutes < 4 ? 0 : 40 * (minutes - 4) * (minutes - 4);
            var voltage = minutes < 12 ? 51.2 : Math.Max(30, 51.2 - ((minutes - 12) * 3));
            Add(Math.Min(temp, 850), Math.Min(gas, 5000), voltage, 55, 1);
        }

        // Cool-down after suppression: slow fall, so the latches hold and then clear one level at a time.
        var heat = 800.0;
        var offGas = 4000.0;
        for (var k = 0; k < 1800; k++)
        {
            Add(25 + heat, offGas, k < 900 ? 35 : 51.2, 55, 2 + random.Next());
            heat *= 0.992;
            offGas *= 0.989;
        }

        return list;
    }

    /// <summary>A wave in [-1, 1] with period 1, from + and × only: Math.Sin may differ in the last bit between platforms.</summary>
    public static double Triangle(double x)
    {
        var f = x - Math.Floor(x);
        return f < 0.5 ? (4 * f) - 1 : 3 - (4 * f);
    }

    /// <summary>Missing and non-finite values, spikes, confirmed jumps and repeats, at fixed pseudo-random places.</summary>
    private static SensorReading Mess(SensorReading r, SplitMix random, int i)
    {
        if (i == 0)
        {
            return r with { VoltageV = null, CoPpm = null, H2Ppm = null };
        }

        var roll = random.Next();
        var channel = (SensorChannel)(int)(random.Next() * SensorChannels.Count);
        return roll switch
        {
            < 0.08 => r.With(channel, null),
            < 0.09 => r.With(channel, double.NaN),
            < 0.095 => r.With(channel, double.PositiveInfinity),
            < 0.12 => r with { MaxSurfaceTempC = 900, CoPpm = 3000 }, // one-off spikes
            < 0.125 => r with { SocPercent = 5 }, // BMS re-estimation glitch
            _ => r,
        };
    }

    /// <summary>SplitMix64: tiny, fast, and fixed forever, unlike System.Random's unseeded algorithm.</summary>
    private sealed class SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public double Next()
        {
            var z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
