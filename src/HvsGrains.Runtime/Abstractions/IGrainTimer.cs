namespace HvsGrains.Runtime;

/// <summary>A grain timer: its ticks run as turns of the grain; disposing it stops it.</summary>
public interface IGrainTimer : IDisposable;
