namespace HvsGrains.Runtime.Activation;

/// <summary>A call reached a silo that is shutting down.</summary>
public sealed class GrainRuntimeStoppedException(GrainId grainId)
    : InvalidOperationException($"The silo is shutting down; the call to {grainId} was not run.");
