using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.OnnxRuntime;

namespace HvsGrains.Grains.ModelScoring.Onnx;

/// <summary>Whether ONNX Runtime's native library can be used in this process, and its version.</summary>
public static class OnnxRuntimeInfo
{
    /// <summary>
    /// The runtime's version (e.g. "1.31.1"), or why it cannot run. The native library loads on first use, so a
    /// missing or broken one surfaces here as a reason for the silo to run on the rules instead of as a crash.
    /// </summary>
    public static bool TryGetVersion([NotNullWhen(true)] out string? version, [NotNullWhen(false)] out string? unavailableReason)
    {
        try
        {
            version = OrtEnv.Instance().GetVersionString();
            unavailableReason = null;
            return true;
        }
        catch (Exception exception) when (exception is DllNotFoundException or TypeInitializationException
            or EntryPointNotFoundException or BadImageFormatException or OnnxRuntimeException)
        {
            version = null;
            unavailableReason = Describe(exception);
            return false;
        }
    }

    // A failed static constructor hides the loader's own message (which names the library) a few levels down.
    private static string Describe(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return $"the native library cannot be used ({innermost.GetType().Name}: {innermost.Message})";
    }
}
