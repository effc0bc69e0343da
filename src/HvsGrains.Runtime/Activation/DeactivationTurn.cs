namespace HvsGrains.Runtime.Activation;

/// <summary>The last turn of an activation: runs OnDeactivateAsync, then retires it.</summary>
internal sealed class DeactivationTurn(DeactivationReason reason, long requestedAtTicks) : Turn
{
    public override string Name => "deactivate";

    public DeactivationReason Reason => reason;

    public override ValueTask RunAsync(ActivationData activation, Grain grain) =>
        new(activation.DeactivateAsync(grain, reason, requestedAtTicks));

    public override void Fail(Exception exception)
    {
    }
}
