namespace HvsGrains.Scoring;

/// <summary>Settings for <see cref="OnnxHazardModelRuntime"/> (bindable from configuration).</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>Library file or directory; when null, <see cref="OnnxRuntimeLibrary.PathEnvironmentVariable"/> then the app folder.</summary>
    public string? LibraryPath { get; set; }

    /// <summary>Threads inside one Run. 1 by default: concurrency comes from many grains scoring at once.</summary>
    public int IntraOpNumThreads { get; set; } = 1;

    /// <summary>ORT GraphOptimizationLevel: 0 none, 1 basic, 2 extended, 99 all.</summary>
    public int GraphOptimizationLevel { get; set; } = 99;

    /// <summary>ORT log severity: 0 verbose .. 4 fatal. Warnings and above by default.</summary>
    public int LogSeverityLevel { get; set; } = 2;

    /// <summary>Output holding probabilities; when null, "probabilities" if present, else the first float tensor output.</summary>
    public string? ProbabilityOutputName { get; set; }

    /// <summary>Column of the positive class when the probability output has two or more columns.</summary>
    public int PositiveClassIndex { get; set; } = 1;
}
