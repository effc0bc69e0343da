namespace HvsGrains.Grains.Forecasting;

/// <summary>
/// The fitted dynamics dT/dt = r₀ + b·(T − T₀) of a module's hottest surface, from a weighted ridge regression
/// of its per-minute rise rates on its temperature. Integrated, T(h) = T₀ + r₀·(e^{bh} − 1)/b: a straight line
/// when b ≈ 0, an approach to an equilibrium when b &lt; 0 (Newton cooling), and the exponential growth of
/// self-heating when b &gt; 0 (Arrhenius kinetics make the rate grow with temperature).
/// </summary>
internal readonly record struct RateFit(
    double StartC,
    double StartMinutesAgo,
    double Rate,
    double Growth,
    double RateError,
    double GrowthError,
    double ScatterC,
    double HistoryMinutes)
{
    /// <summary>Lower bound of b, 1/min: no module surface settles with a time constant under 2 min.</summary>
    private const double MinGrowth = -0.5;

    /// <summary>Rates between minutes further apart than this are not taken (a gap in the readings).</summary>
    private const double MaxGapMinutes = 3;

    /// <summary>Nor between means closer than this: a nearly empty newest minute.</summary>
    private const double MinGapMinutes = 0.25;

    /// <summary>Minutes ahead of the start whose change from the start the fit predicts: (e^{bh} − 1)/b, h when b ≈ 0.</summary>
    public static double Gain(double minutes, double growth)
    {
        var x = growth * minutes;
        return Math.Abs(x) < 1e-6 ? minutes * (1 + (x / 2)) : (Math.Exp(x) - 1) / growth; // the series avoids cancellation near 0
    }

    /// <summary>Expected temperature <paramref name="minutes"/> after the latest reading.</summary>
    public double Expected(double minutes) => StartC + (Rate * Gain(minutes + StartMinutesAgo, Growth));

    /// <summary>Half the prediction interval: reading scatter, the rate's standard error and an unforeseen drift of the rate, each carried forward by the fitted dynamics.</summary>
    public double HalfWidth(double minutes, double z, double driftPerMin)
    {
        var gain = Gain(minutes + StartMinutesAgo, Math.Max(Growth, 0));
        var rate = (RateError * RateError) + (driftPerMin * driftPerMin);
        return z * Math.Sqrt((ScatterC * ScatterC) + (rate * gain * gain));
    }

    /// <summary>Minutes after the latest reading until the expected trend reaches <paramref name="thresholdC"/>; null if it never does.</summary>
    public double? MinutesTo(double thresholdC)
    {
        var needed = (thresholdC - StartC) / Rate; // the gain that brings the trend to the threshold
        if (Rate <= 0 || needed < 0)
        {
            return null;
        }

        double minutes;
        if (Math.Abs(Growth) < 1e-9)
        {
            minutes = needed;
        }
        else
        {
            var growthFactor = 1 + (Growth * needed);
            if (growthFactor <= 0)
            {
                return null; // settles below the threshold
            }

            minutes = Math.Log(growthFactor) / Growth;
        }

        return Math.Max(0, minutes - StartMinutesAgo);
    }

    public static RateFit? Fit(IReadOnlyList<MinuteMean> means, ForecastOptions options)
    {
        if (means.Count < options.MinimumMinutes)
        {
            return null;
        }

        // One rate between each pair of neighbouring minutes, at their mean temperature, weighted by the readings behind it.
        Span<double> rates = stackalloc double[means.Count];
        Span<double> temps = stackalloc double[means.Count];
        Span<double> weights = stackalloc double[means.Count];
        var n = 0;
        double scatter = 0, scatterWeight = 0;
        for (var i = 0; i < means.Count; i++)
        {
            var m = means[i];
            scatter += m.VarianceC2 * m.Count;
            scatterWeight += m.Count;
            if (i == 0)
            {
                continue;
            }

            var previous = means[i - 1];
            var dt = previous.MinutesAgo - m.MinutesAgo;
            if (dt is < MinGapMinutes or > MaxGapMinutes)
            {
                continue;
            }

            rates[n] = (m.MeanC - previous.MeanC) / dt;
            temps[n] = (m.MeanC + previous.MeanC) / 2;
            weights[n] = Math.Min(m.Count, previous.Count);
            n++;
        }

        if (n < options.MinimumMinutes - 1)
        {
            return null;
        }

        double w = 0, meanT = 0, meanR = 0;
        for (var k = 0; k < n; k++)
        {
            w += weights[k];
            meanT += weights[k] * temps[k];
            meanR += weights[k] * rates[k];
        }

        meanT /= w;
        meanR /= w;
        double sxx = 0, sxr = 0;
        for (var k = 0; k < n; k++)
        {
            sxx += weights[k] * (temps[k] - meanT) * (temps[k] - meanT);
            sxr += weights[k] * (temps[k] - meanT) * (rates[k] - meanR);
        }

        // Ridge towards a settling surface: without a span of several degrees the rate's dependence on temperature is
        // noise, so b shrinks to −1/τ, the surface's approach to its equilibrium with the air (Newton cooling).
        var ridge = options.CurvatureSpanC * options.CurvatureSpanC * w;
        var prior = options.SettlingMinutes > 0 ? -1 / options.SettlingMinutes : 0;
        var growth = Math.Clamp((sxr + (ridge * prior)) / (sxx + ridge), MinGrowth, options.MaxGrowthPerMin);
        double residual = 0;
        for (var k = 0; k < n; k++)
        {
            var e = rates[k] - meanR - (growth * (temps[k] - meanT));
            residual += weights[k] * e * e;
        }

        // Variance of a rate of unit weight (one reading per minute); the readings behind each rate shrink it.
        var unitVariance = n > 2 ? residual / (n - 2) : 0;
        var growthError = Math.Sqrt(unitVariance / (sxx + ridge));

        // Start from the newest minute with a few readings in it, not from a nearly empty one.
        var start = means.Count - 1;
        if (means[start].Count < 3 && means[start - 1].Count >= 3)
        {
            start--;
        }

        var startC = means[start].MeanC;
        var rate = meanR + (growth * (startC - meanT));
        if (rate < 0 && growth > prior)
        {
            // Self-heating accelerates a rise, never a fall: a cooling surface settles (else e^{bh} would cool it without bound).
            growth = prior;
            rate = meanR + (growth * (startC - meanT));
        }

        var rateError = Math.Sqrt((unitVariance / w) + ((startC - meanT) * (startC - meanT) * growthError * growthError));
        var history = means[0].MinutesAgo - means[^1].MinutesAgo;
        return new RateFit(startC, means[start].MinutesAgo, rate, growth, rateError, growthError,
            Math.Max(options.NoiseFloorC, Math.Sqrt(scatter / scatterWeight)), history);
    }
}
