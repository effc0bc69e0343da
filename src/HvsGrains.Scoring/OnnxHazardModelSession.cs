using System.Text;
using HvsGrains.Scoring.Native;

namespace HvsGrains.Scoring;

/// <summary>
/// A hazard model loaded into ONNX Runtime. ORT's Run is thread-safe on one session, so this object is
/// shared by all callers; SafeHandle reference counts keep native objects alive during a call that races Dispose.
/// </summary>
internal sealed unsafe class OnnxHazardModelSession : IHazardModelSession
{
    private const int OnnxTypeTensor = 1;
    private const int ElementFloat = 1;

    private readonly OrtApi _api;
    private readonly OrtEnvHandle _env;
    private readonly OrtSessionHandle _session;
    private readonly OrtMemoryInfoHandle _memoryInfo;
    private readonly int _positiveClassIndex;

    // UTF-8, NUL-terminated names on the pinned object heap: no per-call marshalling, no manual free.
    private readonly byte[] _inputNameUtf8;
    private readonly byte[] _outputNameUtf8;
    private int _disposed;

    internal OnnxHazardModelSession(OrtApi api, OrtEnvHandle env, OrtSessionHandle session, OnnxRuntimeOptions options)
    {
        _api = api;
        _session = session;
        _memoryInfo = new OrtMemoryInfoHandle(api);
        _positiveClassIndex = options.PositiveClassIndex;

        // Sessions must not outlive the OrtEnv: hold a reference until Dispose.
        var envAdded = false;
        env.DangerousAddRef(ref envAdded);
        _env = env;
        try
        {
            var s = session.DangerousGetHandle();
            InputNames = ReadNames(s, input: true);
            OutputNames = ReadNames(s, input: false);
            if (InputNames.Length != 1)
            {
                throw new NotSupportedException(
                    $"A hazard model must have exactly one float input [N, features]; this one has {InputNames.Length}: {string.Join(", ", InputNames)}.");
            }

            FeatureCount = ReadFeatureCount(s);
            ProbabilityOutputName = ChooseProbabilityOutput(s, options.ProbabilityOutputName);
            Metadata = ReadMetadata(s);

            nint mi;
            _api.Check(_api.CreateCpuMemoryInfo(0 /* OrtDeviceAllocator */, 0 /* OrtMemTypeDefault */, &mi));
            _memoryInfo.Attach(mi);

            _inputNameUtf8 = PinnedUtf8(InputNames[0]);
            _outputNameUtf8 = PinnedUtf8(ProbabilityOutputName);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string[] InputNames { get; } = [];

    public string[] OutputNames { get; } = [];

    public int FeatureCount { get; }

    public string ProbabilityOutputName { get; } = string.Empty;

    public ModelMetadata Metadata { get; } = new(string.Empty, string.Empty, string.Empty, string.Empty, 0, new Dictionary<string, string>());

    public float ScoreOne(ReadOnlySpan<float> features)
    {
        Span<float> probability = stackalloc float[1];
        ScoreBatch(features, 1, probability);
        return probability[0];
    }

    public void ScoreBatch(ReadOnlySpan<float> rowMajorFeatures, int rows, Span<float> probabilities)
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

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (rows == 0)
        {
            return;
        }

        var sessionAdded = false;
        var memoryAdded = false;
        nint input = 0;
        nint output = 0;
        try
        {
            _session.DangerousAddRef(ref sessionAdded);
            _memoryInfo.DangerousAddRef(ref memoryAdded);
            var shape = stackalloc long[2] { rows, FeatureCount };
            fixed (float* data = rowMajorFeatures)
            fixed (byte* inName = _inputNameUtf8)
            fixed (byte* outName = _outputNameUtf8)
            {
                // ORT only reads input tensors; the const-less pointer is the C API's signature.
                _api.Check(_api.CreateTensorWithDataAsOrtValue(
                    _memoryInfo.DangerousGetHandle(), data, (nuint)(rowMajorFeatures.Length * sizeof(float)), shape, 2, ElementFloat, &input));
                _api.Check(_api.Run(_session.DangerousGetHandle(), 0, &inName, &input, 1, &outName, 1, &output));
            }

            CopyPositiveClass(output, rows, probabilities);
        }
        finally
        {
            if (output != 0)
            {
                _api.ReleaseValue(output);
            }

            if (input != 0)
            {
                _api.ReleaseValue(input);
            }

            if (memoryAdded)
            {
                _memoryInfo.DangerousRelease();
            }

            if (sessionAdded)
            {
                _session.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _session.Dispose();
        _memoryInfo.Dispose();
        _env?.DangerousRelease();
    }

    /// <summary>Reads a float output [N], [N,1] or [N,C] and writes the positive-class column.</summary>
    private void CopyPositiveClass(nint output, int rows, Span<float> probabilities)
    {
        int valueType;
        _api.Check(_api.GetValueType(output, &valueType));
        if (valueType != OnnxTypeTensor)
        {
            throw new NotSupportedException($"Output '{ProbabilityOutputName}' is not a tensor (ONNX type {valueType}); export the model with ZipMap disabled.");
        }

        nint info;
        _api.Check(_api.GetTensorTypeAndShape(output, &info));
        int elementType;
        nuint rank;
        long columns = 1;
        try
        {
            _api.Check(_api.GetTensorElementType(info, &elementType));
            _api.Check(_api.GetDimensionsCount(info, &rank));
            if (rank > 2)
            {
                throw new NotSupportedException($"Output '{ProbabilityOutputName}' has rank {rank}; expected [N] or [N, classes].");
            }

            var dims = stackalloc long[2];
            _api.Check(_api.GetDimensions(info, dims, rank));
            if (rank == 2)
            {
                columns = dims[1];
            }

            if (rank > 0 && dims[0] != rows)
            {
                throw new OnnxRuntimeException($"Output '{ProbabilityOutputName}' has {dims[0]} rows for {rows} input rows.");
            }
        }
        finally
        {
            _api.ReleaseTensorTypeAndShapeInfo(info);
        }

        if (elementType != ElementFloat)
        {
            throw new NotSupportedException($"Output '{ProbabilityOutputName}' has element type {elementType}; expected float.");
        }

        var column = columns == 1 ? 0 : _positiveClassIndex;
        if (column >= columns)
        {
            throw new NotSupportedException($"Output '{ProbabilityOutputName}' has {columns} columns; positive class index {column} is out of range.");
        }

        void* raw;
        _api.Check(_api.GetTensorMutableData(output, &raw));
        var values = new ReadOnlySpan<float>(raw, checked((int)(rows * columns)));
        for (var r = 0; r < rows; r++)
        {
            probabilities[r] = values[(int)((r * columns) + column)];
        }
    }

    private string[] ReadNames(nint session, bool input)
    {
        nuint count;
        _api.Check(input ? _api.SessionGetInputCount(session, &count) : _api.SessionGetOutputCount(session, &count));
        var names = new string[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            _api.Check(input
                ? _api.SessionGetInputName(session, i, _api.DefaultAllocator, &name)
                : _api.SessionGetOutputName(session, i, _api.DefaultAllocator, &name));
            names[(int)i] = _api.TakeString(name) ?? string.Empty;
        }

        return names;
    }

    private int ReadFeatureCount(nint session)
    {
        using var typeInfo = TypeInfo(session, 0, input: true);
        var (onnxType, elementType, dims) = DescribeTensor(typeInfo);
        if (onnxType != OnnxTypeTensor || elementType != ElementFloat || dims.Length != 2 || dims[1] <= 0)
        {
            throw new NotSupportedException(
                $"Input '{InputNames[0]}' must be a float tensor [N, features] with a fixed feature count; got ONNX type {onnxType}, element type {elementType}, shape [{string.Join(", ", dims)}].");
        }

        return checked((int)dims[1]);
    }

    private string ChooseProbabilityOutput(nint session, string? requested)
    {
        if (requested is not null && Array.IndexOf(OutputNames, requested) < 0)
        {
            throw new NotSupportedException($"The model has no output '{requested}'; outputs: {string.Join(", ", OutputNames)}.");
        }

        var preferred = requested ?? (Array.IndexOf(OutputNames, "probabilities") >= 0 ? "probabilities" : null);
        for (var i = 0; i < OutputNames.Length; i++)
        {
            if (preferred is not null && OutputNames[i] != preferred)
            {
                continue;
            }

            using var typeInfo = TypeInfo(session, i, input: false);
            var (onnxType, elementType, _) = DescribeTensor(typeInfo);
            if (onnxType == OnnxTypeTensor && elementType == ElementFloat)
            {
                return OutputNames[i];
            }

            if (preferred is not null)
            {
                throw new NotSupportedException(
                    $"Output '{preferred}' is not a float tensor (ONNX type {onnxType}); a sequence of maps comes from ZipMap — export the classifier with ZipMap disabled.");
            }
        }

        throw new NotSupportedException(
            $"No float tensor output found among {string.Join(", ", OutputNames)}; export probabilities as a float tensor (ZipMap disabled).");
    }

    private OrtTypeInfoHandle TypeInfo(nint session, int index, bool input)
    {
        var handle = new OrtTypeInfoHandle(_api);
        nint ti;
        _api.Check(input
            ? _api.SessionGetInputTypeInfo(session, (nuint)index, &ti)
            : _api.SessionGetOutputTypeInfo(session, (nuint)index, &ti));
        handle.Attach(ti);
        return handle;
    }

    /// <summary>ONNX type, and for tensors the element type and shape (-1 for symbolic dimensions).</summary>
    private (int OnnxType, int ElementType, long[] Dims) DescribeTensor(OrtTypeInfoHandle typeInfo)
    {
        var ti = typeInfo.DangerousGetHandle();
        int onnxType;
        _api.Check(_api.GetOnnxTypeFromTypeInfo(ti, &onnxType));
        if (onnxType != OnnxTypeTensor)
        {
            return (onnxType, 0, []);
        }

        nint tensorInfo; // Owned by the type info: not released separately.
        _api.Check(_api.CastTypeInfoToTensorInfo(ti, &tensorInfo));
        int elementType;
        nuint rank;
        _api.Check(_api.GetTensorElementType(tensorInfo, &elementType));
        _api.Check(_api.GetDimensionsCount(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* d = dims)
        {
            _api.Check(_api.GetDimensions(tensorInfo, d, rank));
        }

        return (onnxType, elementType, dims);
    }

    private ModelMetadata ReadMetadata(nint session)
    {
        using var handle = new OrtModelMetadataHandle(_api);
        nint md;
        _api.Check(_api.SessionGetModelMetadata(session, &md));
        handle.Attach(md);

        var alloc = _api.DefaultAllocator;
        byte* producer, graph, domain, description;
        long version;
        _api.Check(_api.ModelMetadataGetProducerName(md, alloc, &producer));
        var producerName = _api.TakeString(producer) ?? string.Empty;
        _api.Check(_api.ModelMetadataGetGraphName(md, alloc, &graph));
        var graphName = _api.TakeString(graph) ?? string.Empty;
        _api.Check(_api.ModelMetadataGetDomain(md, alloc, &domain));
        var domainName = _api.TakeString(domain) ?? string.Empty;
        _api.Check(_api.ModelMetadataGetDescription(md, alloc, &description));
        var descriptionText = _api.TakeString(description) ?? string.Empty;
        _api.Check(_api.ModelMetadataGetVersion(md, &version));

        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        byte** keys;
        long keyCount;
        _api.Check(_api.ModelMetadataGetCustomMetadataMapKeys(md, alloc, &keys, &keyCount));
        if (keys != null)
        {
            try
            {
                for (long i = 0; i < keyCount; i++)
                {
                    byte* value;
                    _api.Check(_api.ModelMetadataLookupCustomMetadataMap(md, alloc, keys[i], &value));
                    var text = _api.TakeString(value) ?? string.Empty;
                    custom[_api.TakeString(keys[i]) ?? string.Empty] = text;
                    keys[i] = null;
                }
            }
            finally
            {
                for (long i = 0; i < keyCount; i++)
                {
                    if (keys[i] != null)
                    {
                        _api.AllocatorFree(alloc, keys[i]);
                    }
                }

                _api.AllocatorFree(alloc, keys);
            }
        }

        return new ModelMetadata(producerName, graphName, domainName, descriptionText, version, custom);
    }

    private static byte[] PinnedUtf8(string value)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(Encoding.UTF8.GetByteCount(value) + 1, pinned: true);
        var written = Encoding.UTF8.GetBytes(value, bytes);
        bytes[written] = 0;
        return bytes;
    }
}
