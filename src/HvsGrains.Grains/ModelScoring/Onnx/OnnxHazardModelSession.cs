using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HvsGrains.Grains.ModelScoring.Onnx;

/// <summary>
/// A hazard model loaded into ONNX Runtime, checked against the hazard-model contract: one float input
/// [N, features] and a float probability output [N], [N, 1] or [N, classes]; optionally a float anomaly score
/// [N] or [N, 1], requested from ONNX Runtime only when asked for. ORT's Run is thread-safe, so one session per
/// silo serves every caller.
/// </summary>
public sealed unsafe class OnnxHazardModelSession : IDisposable
{
    /// <summary>The output read when none is configured and the model has one by this name.</summary>
    public const string DefaultProbabilityOutputName = "probabilities";

    /// <summary>The anomaly score's output in the hazard-model contract (src/training/hvs_training/anomaly.py).</summary>
    public const string AnomalyScoreOutputName = "anomaly_score";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly int _positiveClassIndex;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    // ORT copies the shape when it creates a tensor, so the one-row shape is shared by every call.
    private readonly long[] _oneRowShape;

    // One lease for the owner plus one per Run in flight: the native session is released by the last one,
    // so disposing a model that is being swapped out never frees it under a running score.
    private int _leases = 1;
    private int _disposed;

    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the model (its message is kept).</exception>
    /// <exception cref="NotSupportedException">The model's inputs or outputs do not fit the hazard-model contract.</exception>
    public OnnxHazardModelSession(byte[] modelBytes, OnnxScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        if (modelBytes.Length == 0)
        {
            throw new ArgumentException("Model bytes are empty.", nameof(modelBytes));
        }

        options ??= new OnnxScoringOptions();
        _positiveClassIndex = options.PositiveClassIndex;
        using (var sessionOptions = new SessionOptions
        {
            // Concurrency comes from many grains scoring at once, not from threads inside one run.
            IntraOpNumThreads = options.IntraOpNumThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        })
        {
            // Not asked for: the anomaly trees are taken out of the graph, so they cost nothing per run.
            var (bytes, dropped) = options.AnomalyOutputName is null ? ModelGraph.WithoutOutput(modelBytes, AnomalyScoreOutputName) : (modelBytes, false);
            _session = new InferenceSession(bytes, sessionOptions);
            OutputNames = dropped ? [.. _session.OutputNames, AnomalyScoreOutputName] : [.. _session.OutputNames];
        }

        try
        {
            _runOptions = new RunOptions();
            InputNames = [.. _session.InputNames];
            if (InputNames.Count != 1)
            {
                throw new NotSupportedException(
                    $"A hazard model must have exactly one float input [N, features]; this one has {InputNames.Count}: {string.Join(", ", InputNames)}.");
            }

            FeatureCount = ReadFeatureCount(InputNames[0], _session.InputMetadata[InputNames[0]]);
            ProbabilityOutputName = ChooseProbabilityOutput(options.ProbabilityOutputName);
            Metadata = _session.ModelMetadata;
            AnomalyOutputName = ChooseAnomalyOutput(options.AnomalyOutputName);
            _inputNames = [InputNames[0]];
            // Only the outputs asked for are computed: ORT runs just the nodes they need.
            _outputNames = AnomalyOutputName is null ? [ProbabilityOutputName] : [ProbabilityOutputName, AnomalyOutputName];
            _oneRowShape = [1, FeatureCount];
        }
        catch
        {
            _runOptions?.Dispose();
            _session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The outputs the model file declares (an anomaly score not asked for is among them, though not run).</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Number of features per row the model expects.</summary>
    public int FeatureCount { get; }

    /// <summary>The output the probabilities are read from.</summary>
    public string ProbabilityOutputName { get; }

    /// <summary>The anomaly score output read with every run, or null when none was asked for.</summary>
    public string? AnomalyOutputName { get; }

    /// <summary>Producer, graph, version and the custom map (training writes feature names, version and thresholds there).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Probability of the positive class for one feature vector.</summary>
    /// <exception cref="ArgumentException">The vector length differs from <see cref="FeatureCount"/>.</exception>
    public float ScoreOne(ReadOnlySpan<float> features)
    {
        Span<float> probability = stackalloc float[1];
        Span<float> anomaly = stackalloc float[1]; // read only when the anomaly score was asked for
        Score(features, 1, probability, anomaly, _oneRowShape);
        return probability[0];
    }

    /// <summary>Scores <paramref name="rows"/> row-major vectors into the first <paramref name="rows"/> probabilities.</summary>
    public void ScoreBatch(ReadOnlySpan<float> rowMajorFeatures, int rows, Span<float> probabilities) =>
        Score(rowMajorFeatures, rows, probabilities, [], shape: null);

    /// <summary>
    /// Scores <paramref name="rows"/> vectors into probabilities and, when <see cref="AnomalyOutputName"/> is set,
    /// their anomaly scores (<paramref name="anomalyScores"/> then needs room for every row).
    /// </summary>
    public void ScoreBatch(ReadOnlySpan<float> rowMajorFeatures, int rows, Span<float> probabilities, Span<float> anomalyScores) =>
        Score(rowMajorFeatures, rows, probabilities, anomalyScores, shape: null);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }
    }

    private void Score(ReadOnlySpan<float> rowMajorFeatures, int rows, Span<float> probabilities, Span<float> anomalyScores, long[]? shape)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rowMajorFeatures.Length != (long)rows * FeatureCount)
        {
            throw new ArgumentException(
                $"Expected {rows} x {FeatureCount} = {(long)rows * FeatureCount} features (row-major), got {rowMajorFeatures.Length}.",
                nameof(rowMajorFeatures));
        }

        if (probabilities.Length < rows)
        {
            throw new ArgumentException($"Need room for {rows} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        if (AnomalyOutputName is not null && anomalyScores.Length < rows)
        {
            throw new ArgumentException($"Need room for {rows} anomaly scores, got {anomalyScores.Length}.", nameof(anomalyScores));
        }

        if (!TryAcquire())
        {
            throw new ObjectDisposedException(nameof(OnnxHazardModelSession));
        }

        try
        {
            if (rows == 0)
            {
                return;
            }

            // The input wraps the caller's memory (pinned for the run) instead of copying it; ORT only reads inputs.
            fixed (float* data = rowMajorFeatures)
            {
                using var input = OrtValue.CreateTensorValueWithData(
                    OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape ?? [rows, FeatureCount], (nint)data, rowMajorFeatures.Length * sizeof(float));
                using var outputs = _session.Run(_runOptions, _inputNames, [input], _outputNames);
                CopyColumn(outputs[0], ProbabilityOutputName, rows, probabilities, _positiveClassIndex);
                if (AnomalyOutputName is not null)
                {
                    CopyColumn(outputs[1], AnomalyOutputName, rows, anomalyScores, column: 0);
                }
            }
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Reads a float output [N], [N, 1] or [N, C] and writes one column (the positive class of probabilities).</summary>
    private static void CopyColumn(OrtValue output, string name, int rows, Span<float> target, int column)
    {
        if (output.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new NotSupportedException($"Output '{name}' is not a tensor ({output.OnnxType}); export the model with ZipMap disabled.");
        }

        var info = output.GetTensorTypeAndShape();
        if (info.ElementDataType != TensorElementType.Float)
        {
            throw new NotSupportedException($"Output '{name}' has element type {info.ElementDataType}; expected float.");
        }

        var shape = info.Shape;
        if (shape.Length > 2)
        {
            throw new NotSupportedException($"Output '{name}' has rank {shape.Length}; expected [N] or [N, classes].");
        }

        if (shape.Length > 0 && shape[0] != rows)
        {
            throw new NotSupportedException($"Output '{name}' has {shape[0]} rows for {rows} input rows.");
        }

        var columns = shape.Length == 2 ? checked((int)shape[1]) : 1;
        column = columns == 1 ? 0 : column;
        if (column >= columns)
        {
            throw new NotSupportedException($"Output '{name}' has {columns} columns; positive class index {column} is out of range.");
        }

        var values = output.GetTensorDataAsSpan<float>();
        for (var r = 0; r < rows; r++)
        {
            target[r] = values[(r * columns) + column];
        }
    }

    private static int ReadFeatureCount(string name, NodeMetadata input)
    {
        if (input.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new NotSupportedException($"Input '{name}' must be a float tensor [N, features]; got {input.OnnxValueType}.");
        }

        var dims = input.Dimensions;
        if (input.ElementDataType != TensorElementType.Float || dims.Length != 2 || dims[1] <= 0)
        {
            throw new NotSupportedException(
                $"Input '{name}' must be a float tensor [N, features] with a fixed feature count; got element type {input.ElementDataType}, shape [{string.Join(", ", dims)}].");
        }

        return dims[1];
    }

    private string ChooseProbabilityOutput(string? requested)
    {
        if (requested is not null && !OutputNames.Contains(requested))
        {
            throw new NotSupportedException($"The model has no output '{requested}'; outputs: {string.Join(", ", OutputNames)}.");
        }

        var preferred = requested ?? (OutputNames.Contains(DefaultProbabilityOutputName) ? DefaultProbabilityOutputName : null);
        foreach (var name in _session.OutputNames)
        {
            if (preferred is not null && name != preferred)
            {
                continue;
            }

            var output = _session.OutputMetadata[name];
            if (output.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && output.ElementDataType == TensorElementType.Float)
            {
                return name;
            }

            if (preferred is not null)
            {
                throw new NotSupportedException(
                    $"Output '{preferred}' is not a float tensor ({output.OnnxValueType}); a sequence of maps comes from ZipMap — export the classifier with ZipMap disabled.");
            }
        }

        throw new NotSupportedException(
            $"No float tensor output found among {string.Join(", ", OutputNames)}; export probabilities as a float tensor (ZipMap disabled).");
    }

    private string? ChooseAnomalyOutput(string? requested)
    {
        if (requested is null)
        {
            return null;
        }

        if (!OutputNames.Contains(requested))
        {
            return null; // a model without an anomaly score is still a hazard model
        }

        var output = _session.OutputMetadata[requested];
        return output.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && output.ElementDataType == TensorElementType.Float
            ? requested
            : throw new NotSupportedException($"Output '{requested}' must be a float tensor [N] or [N, 1]; got {output.OnnxValueType} of {output.ElementDataType}.");
    }

    private bool TryAcquire()
    {
        // No new runs once disposed: with runs overlapping all the time the count would never reach 0.
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        var leases = Volatile.Read(ref _leases);
        while (leases > 0)
        {
            var seen = Interlocked.CompareExchange(ref _leases, leases + 1, leases);
            if (seen == leases)
            {
                return true;
            }

            leases = seen;
        }

        return false;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0)
        {
            _session.Dispose();
            _runOptions.Dispose();
        }
    }
}
