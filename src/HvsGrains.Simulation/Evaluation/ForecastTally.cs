using HvsGrains.Grains.Hazard;

namespace HvsGrains.Simulation.Evaluation;

/// <summary>Errors of one forecast method at one horizon: signed and absolute error, and how often the interval held the reading.</summary>
public sealed class HorizonErrors
{
    public int Count { get; private set; }

    public double SumAbsolute { get; private set; }

    public double SumSigned { get; private set; }

    public int Covered { get; private set; }

    public double SumWidth { get; private set; }

    public double MeanAbsolute => Count == 0 ? double.NaN : SumAbsolute / Count;

    public double Bias => Count == 0 ? double.NaN : SumSigned / Count;

    public double Coverage => Count == 0 ? double.NaN : (double)Covered / Count;

    public double MeanWidth => Count == 0 ? double.NaN : SumWidth / Count;

    public void Add(double predicted, double actual, double low, double high)
    {
        Count++;
        SumAbsolute += Math.Abs(predicted - actual);
        SumSigned += predicted - actual;
        Covered += actual >= low && actual <= high ? 1 : 0;
        SumWidth += high - low;
    }

    public void Merge(HorizonErrors other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        SumAbsolute += other.SumAbsolute;
        SumSigned += other.SumSigned;
        Covered += other.Covered;
        SumWidth += other.SumWidth;
    }
}

/// <summary>One estimate of the time to a threshold, made while the module was still below it, beside the time it really took.</summary>
public sealed record ThresholdEstimate(string Method, HazardLevel Level, double ActualMinutes, double? EstimatedMinutes, double? EarliestMinutes);

/// <summary>What one scenario's forecasts did: errors per (method, horizon) and, for a runaway, its time-to-threshold estimates.</summary>
public sealed class ForecastTally
{
    public Dictionary<(string Method, int Minutes), HorizonErrors> Errors { get; } = [];

    public List<ThresholdEstimate> Thresholds { get; } = [];

    public int Forecasts { get; set; }

    public HorizonErrors At(string method, int minutes)
    {
        if (!Errors.TryGetValue((method, minutes), out var errors))
        {
            Errors[(method, minutes)] = errors = new HorizonErrors();
        }

        return errors;
    }

    public void Merge(ForecastTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, errors) in other.Errors)
        {
            At(key.Method, key.Minutes).Merge(errors);
        }

        Thresholds.AddRange(other.Thresholds);
        Forecasts += other.Forecasts;
    }
}
