namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// Small deterministic PRNG (xoshiro256**, seeded through SplitMix64). A value type owned by
/// one scenario/module stream, so output depends only on the seed — never on thread timing,
/// the clock, or a shared <see cref="Random"/>.
/// </summary>
public struct SimRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Stream for (seed, a, b): independent streams per scenario, module and purpose.</summary>
    public SimRandom(ulong seed, ulong a = 0, ulong b = 0)
    {
        ulong x = seed ^ (a * 0x9E3779B97F4A7C15UL) ^ (b * 0xC2B2AE3D27D4EB4FUL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _spareGaussian = 0;
        _hasSpare = false;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + ((hi - lo) * NextDouble());

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double m = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareGaussian = v * m;
        _hasSpare = true;
        return u * m;
    }
}
