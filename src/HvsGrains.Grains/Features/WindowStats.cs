namespace HvsGrains.Grains.Features;

/// <summary>
/// Count, mean and sum of squared deviations (M2) of a set of samples. Merged with Chan et al.'s
/// parallel formula, which stays exact where running sum/sum-of-squares would cancel catastrophically.
/// </summary>
internal readonly record struct WindowStats(long Count, double Mean, double M2)
{
    public double PopulationStd => Count == 0 ? 0 : Math.Sqrt(Math.Max(0, M2 / Count));

    public WindowStats Merge(WindowStats other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var n = Count + other.Count;
        var delta = other.Mean - Mean;
        var mean = Mean + (delta * other.Count / n);
        var m2 = M2 + other.M2 + (delta * delta * Count * other.Count / n);
        return new WindowStats(n, mean, m2);
    }
}
