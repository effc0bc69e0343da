using System.Diagnostics;

namespace HvsGrains.Benchmarks.Modes;

/// <summary>How the benchmark process runs and how busy the machine was, printed with every result.</summary>
internal static class Environment
{
    /// <summary>
    /// Raises this process to High priority, as BenchmarkDotNet does for its benchmark processes, so the
    /// console modes and the BDN tables are measured alike on a machine shared with compiles.
    /// </summary>
    public static string RaisePriority()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            process.PriorityClass = ProcessPriorityClass.High;
            return process.PriorityClass.ToString();
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or PlatformNotSupportedException or InvalidOperationException)
        {
            return $"unchanged ({exception.Message})";
        }
    }

    /// <summary>The 1/5/15-minute load averages (Linux), so results say how busy the machine was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
