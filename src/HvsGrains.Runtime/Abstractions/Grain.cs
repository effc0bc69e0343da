using HvsGrains.Runtime.Activation;

namespace HvsGrains.Runtime;

/// <summary>
/// Base class of every grain. The runtime creates it on the first call, runs
/// <see cref="OnActivateAsync"/> as the first turn and <see cref="OnDeactivateAsync"/> as the last.
/// </summary>
public abstract class Grain
{
    // Set before the constructor body runs, so grain constructors may use GrainId.
    private ActivationData? _activation = ActivationData.Constructing;

    /// <summary>The grain's identity.</summary>
    public GrainId GrainId => Activation.GrainId;

    /// <summary>The key this grain was activated for.</summary>
    public string PrimaryKey => Activation.GrainId.Key;

    /// <summary>References to other grains.</summary>
    protected IGrainFactory GrainFactory => Activation.Runtime;

    /// <summary>The runtime's clock, so tests control time.</summary>
    protected TimeProvider TimeProvider => Activation.Runtime.TimeProvider;

    private ActivationData Activation =>
        _activation ?? throw new InvalidOperationException("The grain is not activated by the runtime.");

    internal void Attach(ActivationData activation) => _activation = activation;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Deactivates this grain once the current turn ends.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>
    /// Starts a timer whose ticks run as turns of this grain (never concurrently with a call);
    /// a tick is skipped while the previous one is still queued or running. Stopped at deactivation.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterTimer(callback, dueTime, period);
}
