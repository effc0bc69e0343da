using System.Runtime.InteropServices;

namespace HvsGrains.Scoring.Native;

// Hand-written binding: the Microsoft.ML.OnnxRuntime package is not in this registry.
// Slot numbers are member positions in `struct OrtApi` of onnxruntime_c_api.h (append-only across versions).
internal sealed unsafe class OrtApi
{
    /// <summary>API version requested from GetApi; ONNX Runtime 1.30 serves versions up to its own minor.</summary>
    internal const uint ApiVersion = 22;

    internal readonly delegate* unmanaged<nint, int> GetErrorCode;                                   // 1
    internal readonly delegate* unmanaged<nint, byte*> GetErrorMessage;                              // 2
    internal readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;                        // 3
    internal readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray; // 8
    internal readonly delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run; // 9
    internal readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;                         // 10
    internal readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;         // 23
    internal readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;                     // 24
    internal readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;                     // 25
    internal readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;                  // 30
    internal readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;                 // 31
    internal readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;         // 33
    internal readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;        // 34
    internal readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;      // 36
    internal readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;     // 37
    internal readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue; // 49
    internal readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;                  // 51
    internal readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;               // 55
    internal readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;                 // 56
    internal readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;                    // 60
    internal readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;                    // 61
    internal readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;                   // 62
    internal readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;                  // 65
    internal readonly delegate* unmanaged<nint, int*, nint> GetValueType;                            // 67
    internal readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;                // 69
    internal readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;                          // 76
    internal readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;               // 78
    internal readonly delegate* unmanaged<nint, void> ReleaseEnv;                                    // 92
    internal readonly delegate* unmanaged<nint, void> ReleaseStatus;                                 // 93
    internal readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;                             // 94
    internal readonly delegate* unmanaged<nint, void> ReleaseSession;                                // 95
    internal readonly delegate* unmanaged<nint, void> ReleaseValue;                                  // 96
    internal readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;                               // 98
    internal readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;                 // 99
    internal readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;                         // 100
    internal readonly delegate* unmanaged<nint, nint*, nint> SessionGetModelMetadata;                // 111
    internal readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetProducerName;    // 112
    internal readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetGraphName;       // 113
    internal readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetDomain;          // 114
    internal readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetDescription;     // 115
    internal readonly delegate* unmanaged<nint, nint, byte*, byte**, nint> ModelMetadataLookupCustomMetadataMap; // 116
    internal readonly delegate* unmanaged<nint, long*, nint> ModelMetadataGetVersion;                // 117
    internal readonly delegate* unmanaged<nint, void> ReleaseModelMetadata;                          // 118
    internal readonly delegate* unmanaged<nint, nint, byte***, long*, nint> ModelMetadataGetCustomMetadataMapKeys; // 123

    /// <summary>The process-wide default CPU allocator (never freed), used for strings ORT hands back.</summary>
    internal readonly nint DefaultAllocator;

    internal OrtApi(nint* t)
    {
        GetErrorCode = (delegate* unmanaged<nint, int>)t[1];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)t[2];
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)t[3];
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)t[8];
        Run = (delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)t[9];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)t[10];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)t[23];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)t[24];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)t[25];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)t[30];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)t[31];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)t[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)t[34];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)t[36];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)t[37];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)t[49];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)t[51];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)t[55];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)t[56];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)t[60];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)t[61];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)t[62];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)t[65];
        GetValueType = (delegate* unmanaged<nint, int*, nint>)t[67];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)t[69];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)t[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)t[78];
        ReleaseEnv = (delegate* unmanaged<nint, void>)t[92];
        ReleaseStatus = (delegate* unmanaged<nint, void>)t[93];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)t[94];
        ReleaseSession = (delegate* unmanaged<nint, void>)t[95];
        ReleaseValue = (delegate* unmanaged<nint, void>)t[96];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)t[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)t[99];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)t[100];
        SessionGetModelMetadata = (delegate* unmanaged<nint, nint*, nint>)t[111];
        ModelMetadataGetProducerName = (delegate* unmanaged<nint, nint, byte**, nint>)t[112];
        ModelMetadataGetGraphName = (delegate* unmanaged<nint, nint, byte**, nint>)t[113];
        ModelMetadataGetDomain = (delegate* unmanaged<nint, nint, byte**, nint>)t[114];
        ModelMetadataGetDescription = (delegate* unmanaged<nint, nint, byte**, nint>)t[115];
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged<nint, nint, byte*, byte**, nint>)t[116];
        ModelMetadataGetVersion = (delegate* unmanaged<nint, long*, nint>)t[117];
        ReleaseModelMetadata = (delegate* unmanaged<nint, void>)t[118];
        ModelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged<nint, nint, byte***, long*, nint>)t[123];

        nint allocator;
        Check(GetAllocatorWithDefaultOptions(&allocator));
        DefaultAllocator = allocator;
    }

    /// <summary>Turns a non-null OrtStatus* into an exception (and releases the status).</summary>
    internal void Check(nint status)
    {
        if (status != 0)
        {
            throw ToException(status);
        }
    }

    internal OnnxRuntimeException ToException(nint status)
    {
        try
        {
            var code = (OnnxRuntimeErrorCode)GetErrorCode(status);
            var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "(no message)";
            return new OnnxRuntimeException(code, message);
        }
        finally
        {
            ReleaseStatus(status);
        }
    }

    /// <summary>Copies a string ORT allocated with the default allocator, then frees it.</summary>
    internal string? TakeString(byte* value)
    {
        if (value == null)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8((nint)value);
        }
        finally
        {
            Check(AllocatorFree(DefaultAllocator, value));
        }
    }
}
