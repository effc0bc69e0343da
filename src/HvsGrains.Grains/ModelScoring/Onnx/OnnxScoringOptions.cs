namespace HvsGrains.Grains.ModelScoring.Onnx;

/// <summary>How an <see cref="OnnxHazardModelSession"/> runs a model and reads its probabilities.</summary>
public sealed record OnnxScoringOptions
{
    /// <summary>Output holding probabilities; when null, "probabilities" if present, else the first float tensor output.</summary>
    public string? ProbabilityOutputName { get; init; }

    /// <summary>Column of the positive class when the probability output has two or more columns.</summary>
    public int PositiveClassIndex { get; init; } = 1;

    /// <summary>
    /// Output holding the anomaly score ([N] or [N, 1]), read beside the probabilities; null never asks ONNX Runtime
    /// for it, so a silo with anomaly scoring off does not pay for it.
    /// </summary>
    public string? AnomalyOutputName { get; init; }

    /// <summary>Threads inside one run. 1 by default: concurrency comes from many grains scoring at once.</summary>
    public int IntraOpNumThreads { get; init; } = 1;
}
