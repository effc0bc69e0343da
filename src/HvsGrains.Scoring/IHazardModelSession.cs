namespace HvsGrains.Scoring;

/// <summary>
/// One loaded hazard model. Thread-safe: one session per silo is shared by all module grains.
/// The model takes one float input [N, FeatureCount] and yields the positive-class probability.
/// </summary>
public interface IHazardModelSession : IDisposable
{
    string[] InputNames { get; }

    string[] OutputNames { get; }

    /// <summary>Number of features per row the model expects.</summary>
    int FeatureCount { get; }

    /// <summary>The output the probabilities are read from.</summary>
    string ProbabilityOutputName { get; }

    ModelMetadata Metadata { get; }

    /// <summary>Probability of the positive class for one feature vector.</summary>
    /// <exception cref="ArgumentException">The vector length differs from <see cref="FeatureCount"/>.</exception>
    float ScoreOne(ReadOnlySpan<float> features);

    /// <summary>Scores <paramref name="rows"/> row-major vectors into the first <paramref name="rows"/> probabilities.</summary>
    void ScoreBatch(ReadOnlySpan<float> rowMajorFeatures, int rows, Span<float> probabilities);
}
