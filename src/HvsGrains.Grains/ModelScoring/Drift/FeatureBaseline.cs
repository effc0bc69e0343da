namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// The binned distribution of every feature on the rows of normal operation the model was trained on
/// (metadata <c>hvs.feature_baseline</c>, written by src/training's baseline.py), in the model's feature order.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.feature-baseline")]
public sealed record FeatureBaseline(
    [property: Id(0)] int Rows,
    [property: Id(1)] string Source,
    [property: Id(2)] IReadOnlyList<FeatureBins> Features)
{
    /// <summary>At most 19 distinct edges (the 5 %, 10 %, …, 95 % quantiles), so at most 20 bins per feature.</summary>
    public const int MaxBins = 20;
}

/// <summary>
/// One feature's bins: (-inf, e1], (e1, e2], …, (e(k-1), +inf) and the share of the baseline rows in each.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.feature-bins")]
public sealed record FeatureBins(
    [property: Id(0)] string Name,
    [property: Id(1)] double[] Edges,
    [property: Id(2)] double[] Proportions)
{
    /// <summary>The bin of a value: the index of the first edge ≥ value (bins are closed on the right), O(log bins).</summary>
    public int Bin(double value)
    {
        var index = Array.BinarySearch(Edges, value);
        return index >= 0 ? index : ~index;
    }
}
