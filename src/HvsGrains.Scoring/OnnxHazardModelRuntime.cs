using System.Diagnostics.CodeAnalysis;
using HvsGrains.Scoring.Native;

namespace HvsGrains.Scoring;

/// <summary>
/// <see cref="IHazardModelRuntime"/> over the hand-written ONNX Runtime C API binding.
/// Holds one OrtEnv and one set of session options; sessions keep the env alive until they are disposed.
/// </summary>
public sealed unsafe class OnnxHazardModelRuntime : IHazardModelRuntime, IDisposable
{
    private readonly OnnxRuntimeOptions _options;
    private readonly OrtEnvHandle _env;
    private readonly OrtSessionOptionsHandle _sessionOptions;
    private int _disposed;

    /// <exception cref="OnnxRuntimeUnavailableException">The native library is missing or unusable.</exception>
    public OnnxHazardModelRuntime(OnnxRuntimeOptions? options = null)
    {
        _options = options ?? new OnnxRuntimeOptions();
        Library = OnnxRuntimeLibrary.Load(_options.LibraryPath);
        var api = Library.Api;

        _env = new OrtEnvHandle(api);
        _sessionOptions = new OrtSessionOptionsHandle(api);
        try
        {
            nint env;
            fixed (byte* logId = "HvsGrains"u8)
            {
                api.Check(api.CreateEnv(_options.LogSeverityLevel, logId, &env));
            }

            _env.Attach(env);

            nint so;
            api.Check(api.CreateSessionOptions(&so));
            _sessionOptions.Attach(so);
            api.Check(api.SetIntraOpNumThreads(so, _options.IntraOpNumThreads));
            api.Check(api.SetInterOpNumThreads(so, 1));
            api.Check(api.SetSessionGraphOptimizationLevel(so, _options.GraphOptimizationLevel));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public OnnxRuntimeLibrary Library { get; }

    public string Version => Library.Version;

    /// <summary>Creates a runtime, or explains why scoring is unavailable (the caller then runs on rules alone).</summary>
    public static bool TryCreate(
        OnnxRuntimeOptions? options,
        [NotNullWhen(true)] out OnnxHazardModelRuntime? runtime,
        [NotNullWhen(false)] out string? unavailableReason)
    {
        try
        {
            runtime = new OnnxHazardModelRuntime(options);
            unavailableReason = null;
            return true;
        }
        catch (OnnxRuntimeUnavailableException ex)
        {
            runtime = null;
            unavailableReason = ex.Message;
            return false;
        }
    }

    public IHazardModelSession Load(byte[] modelBytes)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        if (modelBytes.Length == 0)
        {
            throw new ArgumentException("Model bytes are empty.", nameof(modelBytes));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var api = Library.Api;
        var session = new OrtSessionHandle(api);
        var envAdded = false;
        var optionsAdded = false;
        try
        {
            // Keeps env and options alive if Dispose races this call; the new session then pins the env itself.
            _env.DangerousAddRef(ref envAdded);
            _sessionOptions.DangerousAddRef(ref optionsAdded);
            nint s;
            fixed (byte* data = modelBytes)
            {
                api.Check(api.CreateSessionFromArray(
                    _env.DangerousGetHandle(), data, (nuint)modelBytes.Length, _sessionOptions.DangerousGetHandle(), &s));
            }

            session.Attach(s);
            return new OnnxHazardModelSession(api, _env, session, _options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        finally
        {
            if (optionsAdded)
            {
                _sessionOptions.DangerousRelease();
            }

            if (envAdded)
            {
                _env.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _sessionOptions.Dispose();
        _env.Dispose(); // The release is deferred while live sessions hold a SafeHandle reference.
    }
}
