using System.Runtime.InteropServices;
using HvsGrains.Scoring.Native;

namespace HvsGrains.Scoring;

/// <summary>
/// The loaded ONNX Runtime native library and its C API table. Found in this order: an explicit path
/// (options), the <see cref="PathEnvironmentVariable"/> override, then next to the application / this assembly
/// (where the build copies the library fetched from npm).
/// </summary>
public sealed unsafe class OnnxRuntimeLibrary
{
    /// <summary>Environment variable naming the library file (or a directory holding it).</summary>
    public const string PathEnvironmentVariable = "HVS_ONNXRUNTIME_PATH";

    private static readonly string[] FileNames = OperatingSystem.IsWindows()
        ? ["onnxruntime.dll"]
        : OperatingSystem.IsMacOS() ? ["libonnxruntime.dylib"] : ["libonnxruntime.so.1", "libonnxruntime.so"];

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, OnnxRuntimeLibrary> Loaded = new(StringComparer.Ordinal);

    private OnnxRuntimeLibrary(string path, string version, OrtApi api)
    {
        Path = path;
        Version = version;
        Api = api;
    }

    /// <summary>The file that was loaded.</summary>
    public string Path { get; }

    /// <summary>ONNX Runtime's own version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    internal OrtApi Api { get; }

    /// <summary>
    /// Loads the library (once per path per process; later calls return the same instance).
    /// An explicit <paramref name="path"/> (file or directory) is the only place tried when given.
    /// </summary>
    /// <exception cref="OnnxRuntimeUnavailableException">No candidate exists or none loads.</exception>
    public static OnnxRuntimeLibrary Load(string? path = null)
    {
        var candidates = CandidatePaths(path);
        var tried = new List<string>();
        Exception? lastError = null;
        foreach (var candidate in candidates)
        {
            tried.Add(candidate);
            if (!File.Exists(candidate))
            {
                continue;
            }

            try
            {
                return LoadFile(System.IO.Path.GetFullPath(candidate));
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or OnnxRuntimeUnavailableException)
            {
                lastError = ex;
            }
        }

        var reason = lastError is null ? "not found" : $"failed to load: {lastError.Message}";
        throw new OnnxRuntimeUnavailableException(
            $"ONNX Runtime native library {reason}. Tried: {string.Join(", ", tried)}. " +
            $"Set {PathEnvironmentVariable} or build HvsGrains.Scoring on linux-x64 (it fetches onnxruntime-node from npm).",
            tried,
            lastError);
    }

    /// <summary>The ordered list of files <see cref="Load"/> would try.</summary>
    public static IReadOnlyList<string> CandidatePaths(string? path = null)
    {
        var result = new List<string>();
        if (!string.IsNullOrWhiteSpace(path))
        {
            AddPathOrDirectory(result, path);
            return result;
        }

        var fromEnv = Environment.GetEnvironmentVariable(PathEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            AddPathOrDirectory(result, fromEnv);
        }

        var assemblyDir = System.IO.Path.GetDirectoryName(typeof(OnnxRuntimeLibrary).Assembly.Location);
        foreach (var dir in new[] { AppContext.BaseDirectory, assemblyDir })
        {
            if (!string.IsNullOrEmpty(dir))
            {
                foreach (var name in FileNames)
                {
                    var candidate = System.IO.Path.Combine(dir, name);
                    if (!result.Contains(candidate))
                    {
                        result.Add(candidate);
                    }
                }
            }
        }

        return result;
    }

    private static void AddPathOrDirectory(List<string> result, string path)
    {
        if (Directory.Exists(path))
        {
            result.AddRange(FileNames.Select(n => System.IO.Path.Combine(path, n)));
        }
        else
        {
            result.Add(path);
        }
    }

    private static OnnxRuntimeLibrary LoadFile(string fullPath)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(fullPath, out var existing))
            {
                return existing;
            }

            // The library stays loaded for the process lifetime: ORT keeps global state and threads.
            var handle = NativeLibrary.Load(fullPath);
            var getApiBase = (delegate* unmanaged<nint*>)NativeLibrary.GetExport(handle, "OrtGetApiBase");
            var apiBase = getApiBase(); // struct OrtApiBase { GetApi; GetVersionString; }
            var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
            var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
            var version = Marshal.PtrToStringUTF8((nint)getVersion()) ?? "unknown";
            var table = getApi(OrtApi.ApiVersion);
            if (table == null)
            {
                throw new OnnxRuntimeUnavailableException(
                    $"ONNX Runtime {version} at {fullPath} does not serve C API version {OrtApi.ApiVersion}.", [fullPath]);
            }

            var library = new OnnxRuntimeLibrary(fullPath, version, new OrtApi(table));
            Loaded[fullPath] = library;
            return library;
        }
    }
}
